"""``brigade demo``: build the deterministic demo brigade (河东区) if it is not there yet."""

import datetime as dt
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import transaction
from tqdm import tqdm

from brigade.core.commands import BrigadeCommand
from brigade.core.errors import UserError
from brigade.demo.accounts import ensure_demo_accounts
from brigade.demo.detachment import PROFILES, brigade_name, build_detachment, detachment_exists
from brigade.demo.generator import (
    DEFAULT_SEED,
    DEMO_BRIGADE_NAME,
    DEMO_PASSWORD,
    DEMO_USERNAME,
    HISTORY_YEARS,
    build_demo,
    checksum,
    counts,
    default_until,
    default_year,
    demo_exists,
    ensure_demo_admin,
    step_count,
    wipe_demo,
)
from brigade.demo.geography import check_data_files


class Command(BrigadeCommand):
    help = "生成演示大队（临沂市河东区，一整年的业务数据，可按随机种子重现）；已存在时不重复生成"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"随机种子（默认 {DEFAULT_SEED}），相同种子生成相同数据")
        parser.add_argument("--year", type=int, default=None, help="演示数据所属年份（默认为上一个完整自然年）")
        parser.add_argument("--force", action="store_true", help="先清空已有的演示大队数据再重新生成")
        parser.add_argument("--until", type=dt.date.fromisoformat, default=None,
                            help="本年数据截止日期（YYYY-MM-DD，默认为昨天；须在演示年份的下一年内）")
        parser.add_argument("--scale", type=float, default=1.0, help="数据规模系数（默认 1，即一个真实大队一年的规模）")
        parser.add_argument("--detachment", action="store_true",
                            help="同时生成演示支队的另外三个大队（兰山区、沂水县、罗庄区，各有特点），用于支队对比和支队总结")
        parser.add_argument("--detachment-scale", type=float, default=0.5,
                            help="另外三个大队的数据规模系数（默认 0.5，相对于一个真实大队）")

    def handle(self, *args, seed, year, force, scale, until=None, detachment=False, detachment_scale=0.5,
               **options):
        year = year or default_year()
        if not 0.01 <= detachment_scale <= 1.0:
            raise UserError(f"--detachment-scale 应在 0.01 到 1 之间（收到 {detachment_scale}）。")
        if until is not None and until.year != year + 1:
            raise UserError(f"--until 应是{year + 1}年内的日期（收到 {until.isoformat()}）。")
        if not 0.05 <= scale <= 1.0:
            raise UserError(f"--scale 应在 0.05 到 1 之间（收到 {scale}）。")
        if demo_exists() and not force and detachment and not detachment_exists():
            self._add_detachment(seed, year, default_until(year) if until is None else until, detachment_scale)
            self._login(ensure_demo_admin())
            return
        if demo_exists() and not force:
            self.stdout.write(f"演示大队“{DEMO_BRIGADE_NAME}”已存在，未重新生成（如需重建请加 --force）。")
            self._login(ensure_demo_admin())
            return
        check_data_files(Path(settings.BRIGADE_DATA_DIR))
        started = time.monotonic()
        until = until or default_until(year)
        bar = tqdm(total=step_count(year, until) + (len(PROFILES) if detachment else 0), desc="生成演示大队", unit="步", ncols=80, disable=options.get("verbosity", 1) == 0)

        def progress(label):
            bar.set_postfix_str(f"已完成：{label}", refresh=False)
            bar.update(1)

        # Wipe and rebuild in one transaction: if the build fails, the old demo stays as it was.
        try:
            with transaction.atomic():
                if demo_exists():
                    bar.write("正在清空已有的演示数据……")
                    wipe_demo()
                build_demo(seed=seed, year=year, until=until, scale=scale, progress=progress)
                if detachment:
                    build_detachment(seed=seed, year=year, until=until, scale=detachment_scale,
                                     data_dir=Path(settings.BRIGADE_DATA_DIR), progress=progress)
        finally:
            bar.close()
        elapsed = time.monotonic() - started
        span = f"{year - HISTORY_YEARS}年至{year}年" + (f"及{until.year}年截至{until.month}月{until.day}日" if until else "")
        self.stdout.write(f"已生成演示大队“{DEMO_BRIGADE_NAME}”（{span}的数据，随机种子 {seed}），用时 {elapsed:.1f} 秒。")
        for label, n in counts().items():
            if n:
                self.stdout.write(f"  {apps.get_model(label)._meta.verbose_name:<12}{n:>8,}")
        self.stdout.write(f"数据校验码：{checksum()[:16]}")
        if detachment:
            self._say_detachment()
        self._login(ensure_demo_admin(reset_password=force))

    def _add_detachment(self, seed, year, until, scale) -> None:
        """The demo brigade is there: add the detachment's other brigades beside it."""
        started = time.monotonic()
        with transaction.atomic():
            build_detachment(seed=seed, year=year, until=until, scale=scale, data_dir=Path(settings.BRIGADE_DATA_DIR))
        self.stdout.write(f"已在演示大队旁生成演示支队的其他大队，用时 {time.monotonic() - started:.1f} 秒。")
        self._say_detachment()

    def _say_detachment(self) -> None:
        for profile in PROFILES:
            self.stdout.write(f"  {brigade_name(profile.district)}：{profile.character}")
        self.stdout.write("对比各大队：brigade compare --period 年份；支队总结：brigade report --scope detachment --period 年份")

    def _login(self, valid: bool) -> None:
        if valid:
            self.stdout.write(f"演示登录：用户名 {DEMO_USERNAME}，密码 {DEMO_PASSWORD}（仅供演示，切勿用于生产环境）")
        else:
            self.stdout.write(f"管理员账号 {DEMO_USERNAME} 已存在且密码已修改，请使用您设置的密码登录。")
        accounts = ensure_demo_accounts(DEMO_PASSWORD)
        if accounts:
            listed = "；".join(f"{name}（{label}）" for name, label in accounts)
            self.stdout.write(f"各角色演示账号（密码同上）：{listed}")
