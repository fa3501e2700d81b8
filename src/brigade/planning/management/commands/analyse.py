"""``brigade analyse [--brigade 名称]``: refresh the stored analyses (coverage, first-due zones, water,
siting) of one brigade, or of every brigade in turn.

Meant to be scheduled (e.g. nightly by cron or a systemd timer) so the map layers and the
summary's plan items always rest on a recent run; each run belongs to one brigade and is stamped
with the date of that brigade's latest record.
"""

import time

from brigade.core.commands import BrigadeCommand
from brigade.core.errors import UserError
from brigade.org.chosen import brigades_or_every
from brigade.planning.kept import NO_ROADS, analyses_refresh
from brigade.planning.network_store import of_brigade

NO_ROADS_ANY = "系统中各大队都还没有道路数据，无法分析出警时间覆盖、水源和选址：请先导入道路（资源 › 道路）。"


class Command(BrigadeCommand):
    help = "重新运行并保存出警时间覆盖、辖区站责任区、消防水源和选址分析（按大队，可每晚定时运行）"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--brigade", help="只分析这个大队（默认逐个分析全部大队，没有道路数据的大队跳过）")
        parser.add_argument("--new-stations", type=int, default=None,
                            help="选址分析建议新建的消防站数（默认 3，可在设置 BRIGADE_ANALYSE_NEW_STATIONS 中修改）")
        parser.add_argument("--time-limit", type=float, default=None,
                            help="选址求解的时限（秒，默认 60）；到时未证明最优的结果会注明差距")

    def handle(self, *args, brigade=None, new_stations=None, time_limit=None, **options):
        from brigade.resources.models import Road

        if time_limit is not None and not time_limit > 0:
            raise UserError(f"--time-limit 应为正数（收到 {time_limit}）。")
        if new_stations is not None and new_stations < 1:
            raise UserError(f"新建消防站数应为正整数（收到 {new_stations}）。")
        brigades = brigades_or_every(brigade)
        several = len(brigades) > 1
        # Every brigade in turn: one without roads yet is skipped (a named one is refused).
        ready = [b for b in brigades if of_brigade(Road.objects.all(), b).exists()]
        if not ready:
            raise UserError(NO_ROADS.format(brigade=brigades[0].name) if len(brigades) == 1 else NO_ROADS_ANY)
        for b in brigades:
            if b not in ready:
                self.stdout.write(f"跳过：{NO_ROADS.format(brigade=b.name)}")
        for b in ready:
            started = time.monotonic()
            who = f"{b.name}：" if several else ""
            done = analyses_refresh(brigade=b, new_stations=new_stations, time_limit_s=time_limit,
                                    progress=lambda label, who=who: self.stdout.write(f"  {who}已完成：{label}"))
            as_of = done.data_as_of.isoformat() if done.data_as_of else "（没有业务记录）"
            self.stdout.write(f"{who}已保存{len(done.runs)}项分析，数据截至{as_of}，"
                              f"用时{time.monotonic() - started:.1f}秒。")
            for run in done.runs.values():
                self.stdout.write(f"  {run.get_kind_display()}：{run.name}（记录编号 {run.pk}）")
