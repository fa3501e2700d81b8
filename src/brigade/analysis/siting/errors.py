"""Errors of the siting models; every message is one Chinese sentence a user can act on."""

from brigade.analysis.errors import AnalysisError

# Message templates, shared with the tests so wording changes in one place.
MSG_EMPTY_CANDIDATES = "候选站点列表为空：至少需要一个候选站点才能选址。"
MSG_EMPTY_DEMAND = "需求点为空：没有可供选址计算的需求点。"
MSG_P_TOO_LARGE = "新建站数 p={p} 大于候选站点数 {m}：请减小 p 或增加候选站点。"
MSG_P_NOT_POSITIVE = "新建站数 p={p} 无效：p 应为正整数。"
MSG_NOT_2D = "成本矩阵应为二维表（行为需求点、列为候选站点），实际维数为 {ndim}。"
MSG_NAN = "成本矩阵含有缺失值或非数字（NaN），共 {count} 处，首处在第 {row} 行第 {col} 列。"
MSG_NEGATIVE = "成本矩阵含有负值，共 {count} 处，首处在第 {row} 行第 {col} 列（{value}）：时间或距离不能为负。"
MSG_SHAPE = "{what}的长度 {got} 与成本矩阵的需求点行数 {expected} 不一致。"
MSG_EXISTING_SHAPE = "现有站点成本矩阵有 {got} 行，与需求点行数 {expected} 不一致。"
MSG_WEIGHTS_BAD = "需求权重含有负值或非数字（第 {row} 个需求点：{value}）。"
MSG_RADIUS_BAD = "服务半径 {radius} 无效：应为正数（与成本矩阵同一单位，秒或米）。"
MSG_UNREACHABLE = "有 {count} 个需求点从任何候选站点和现有站点都无法到达（路网不连通或成本为无穷大），例如第 {rows} 行：请检查路网或删除这些需求点。"
MSG_TIME_LIMIT_BAD = "求解时限 {value} 秒无效：应为正数。"
MSG_COVERS_NOTHING = "在服务半径内没有任何候选站点能覆盖任何需求点：请增大服务半径、检查成本与半径的单位（秒或米）或更换候选站点。"


class SitingError(AnalysisError):
    """Bad input to a siting model (empty candidates, p too large, a malformed cost matrix …)."""


class UnreachableDemandError(SitingError):
    """Some demand points cannot be reached from any candidate or existing station."""

    def __init__(self, rows):
        self.rows = [int(r) for r in rows]
        shown = "、".join(str(r + 1) for r in self.rows[:10]) + ("…" if len(self.rows) > 10 else "")
        super().__init__(MSG_UNREACHABLE.format(count=len(self.rows), rows=shown))
