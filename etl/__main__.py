import gc
import sys

# A command runs for seconds and makes no garbage cycles worth collecting: the collector's passes
# over the objects that importing pandas and SQLAlchemy creates cost a tenth of its start-up.
gc.disable()

from etl.cli import main  # noqa: E402

sys.exit(main())
