"""Where new stations and hydrants do the most good: MCLP, LSCP, p-median and hydrant spacing on arrays.

Pure numpy/scipy/HiGHS; no Django. Rows are demand points, columns candidate sites.
"""

from brigade.analysis.siting.errors import SitingError, UnreachableDemandError
from brigade.analysis.siting.models import (
    curve,
    lscp,
    lscp_from_costs,
    mclp,
    mclp_from_costs,
    pmedian,
)
from brigade.analysis.siting.problem import SitingResult, check_costs, coverage_matrix, status_label

__all__ = [
    "SitingError",
    "SitingResult",
    "UnreachableDemandError",
    "check_costs",
    "coverage_matrix",
    "curve",
    "lscp",
    "lscp_from_costs",
    "mclp",
    "mclp_from_costs",
    "pmedian",
    "status_label",
]
