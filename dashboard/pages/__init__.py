"""The pages: each registers itself (dash.register_page) and keeps its callbacks beside its
layout. Dash Pages imports every module here but this one."""
