"""Every SELECT of the product: (engine, filters) -> DataFrame, bound parameters only.

Pages, reports and the CLI call these (as ``queries.<name>``); nothing else opens a connection
to read figures. One module per subject; this package names them all in one place.
"""

from core.queries.accounts import (
    exempt_items,
    login_failures,
    ping,
    session_user,
    user_list,
    user_row,
    users_exist,
)
from core.queries.boundaries import ward_boundaries
from core.queries.council import (
    hate_reporting_centres,
    iom_quarters,
    reoffending_rates,
    syv_monthly,
    syv_summary,
    template_history,
    wrap_audiences,
    wrap_training,
)
from core.queries.crime import (
    CRIME_DATASETS,
    area_by_name,
    areas,
    coverage,
    dataset_areas,
    dataset_status,
    latest_month,
    loaded_months,
    mopac7_monthly,
    mopac7_series,
    populations,
    subgroup_monthly,
)
from core.queries.published import published_file, published_list
from core.queries.targets import (
    comparator_groups,
    group_members,
    reference_version,
    target_changes,
    targets,
)
from core.queries.uploads import (
    data_version,
    figure_provenance,
    upload_history,
    upload_log,
    upload_record,
    upload_replacements,
    upload_versions,
    upload_warnings,
)

__all__ = [
    "CRIME_DATASETS",
    "area_by_name",
    "comparator_groups",
    "areas",
    "coverage",
    "data_version",
    "upload_versions",
    "upload_warnings",
    "dataset_areas",
    "dataset_status",
    "exempt_items",
    "figure_provenance",
    "group_members",
    "hate_reporting_centres",
    "iom_quarters",
    "latest_month",
    "loaded_months",
    "login_failures",
    "mopac7_monthly",
    "mopac7_series",
    "ping",
    "populations",
    "reoffending_rates",
    "session_user",
    "subgroup_monthly",
    "syv_monthly",
    "syv_summary",
    "target_changes",
    "targets",
    "reference_version",
    "template_history",
    "upload_history",
    "upload_log",
    "upload_record",
    "upload_replacements",
    "user_list",
    "user_row",
    "published_file",
    "published_list",
    "users_exist",
    "ward_boundaries",
    "wrap_audiences",
    "wrap_training",
]
