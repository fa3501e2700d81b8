"""``brigade analyse``: refresh the stored analyses (coverage, first-due zones, water, siting).

Meant to be scheduled (e.g. nightly by cron or a systemd timer) so the map layers and the
summary's plan items always rest on a recent run; each run is stamped with the data date it saw.
"""

import time

from brigade.core.commands import BrigadeCommand
from brigade.core.errors import UserError
from brigade.planning.kept import analyses_refresh


class Command(BrigadeCommand):
    help = "重新运行并保存出警时间覆盖、辖区站责任区、消防水源和选址分析（可每晚定时运行）"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--new-stations", type=int, default=None,
                            help="选址分析建议新建的消防站数（默认 3，可在设置 BRIGADE_ANALYSE_NEW_STATIONS 中修改）")
        parser.add_argument("--time-limit", type=float, default=None,
                            help="选址求解的时限（秒，默认 60）；到时未证明最优的结果会注明差距")

    def handle(self, *args, new_stations=None, time_limit=None, **options):
        started = time.monotonic()
        if time_limit is not None and not time_limit > 0:
            raise UserError(f"--time-limit 应为正数（收到 {time_limit}）。")
        done = analyses_refresh(new_stations=new_stations, time_limit_s=time_limit,
                                progress=lambda label: self.stdout.write(f"  已完成：{label}"))
        as_of = done.data_as_of.isoformat() if done.data_as_of else "（没有业务记录）"
        self.stdout.write(f"已保存{len(done.runs)}项分析，数据截至{as_of}，用时{time.monotonic() - started:.1f}秒。")
        for run in done.runs.values():
            self.stdout.write(f"  {run.get_kind_display()}：{run.name}（记录编号 {run.pk}）")
