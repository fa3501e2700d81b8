from pathlib import Path

from brigade.core.commands import BrigadeCommand
from brigade.core.files import atomic_output
from brigade.io.profiles.suggest import suggest_profile
from brigade.io.profiles.table import read_table


class Command(BrigadeCommand):
    help = "接处警映射配置：suggest 根据文件的表头和前几行起草映射配置（YAML），供核对后导入"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("action", choices=["suggest"], help="suggest：起草映射配置")
        parser.add_argument("file", help="接处警系统导出的 .xlsx 或 .csv 文件")
        parser.add_argument("--out", help="草稿保存为此文件（.yaml）；不填则输出到屏幕")

    def handle(self, *args, action, file, out, **options):
        name, rows = read_table(file)
        draft = suggest_profile(rows, name)
        if not out:
            self.stdout.write(draft)
            return
        with atomic_output(out) as tmp:
            Path(tmp).write_text(draft, encoding="utf-8")
        self.stdout.write(f"已写入映射配置草稿 {out}。请核对标有“待确认”的地方，再运行："
                          f"brigade import {file} --profile {out} --dry-run 预览。")
