"""A base for management commands: user errors become one Chinese line and exit code 2."""

import re
import sys

from django.core.management.base import BaseCommand, CommandError

from brigade.core.errors import UserError


def _listed(text: str) -> str:
    return "、".join(part.strip().strip("'\"") for part in text.split(","))


# argparse's messages (it ships no Chinese), each with its Chinese wording: what was wrong and where.
ARGPARSE_MESSAGES = [
    (re.compile(r"argument (?P<arg>\S+): invalid choice: (?P<value>.*?) \(choose from (?P<choices>.*)\)"),
     lambda m: f"参数 {m['arg']} 的取值“{m['value'].strip(chr(39))}”无效，可选：{_listed(m['choices'])}"),
    (re.compile(r"argument (?P<arg>\S+): invalid (?P<kind>int|float) value: (?P<value>.*)"),
     lambda m: f"参数 {m['arg']} 应为{'整数' if m['kind'] == 'int' else '数字'}，收到“{m['value'].strip(chr(39))}”"),
    (re.compile(r"argument (?P<arg>\S+): expected one argument"), lambda m: f"参数 {m['arg']} 后面缺少取值"),
    (re.compile(r"the following arguments are required: (?P<args>.*)"), lambda m: f"缺少必填参数：{_listed(m['args'])}"),
    (re.compile(r"unrecognized arguments: (?P<args>.*)"), lambda m: f"无法识别的参数：{m['args']}"),
]


def in_chinese(message: str) -> str:
    """argparse's message in Chinese where we know its wording; otherwise as it is."""
    for pattern, say in ARGPARSE_MESSAGES:
        if m := pattern.fullmatch(message):
            return say(m)
    return message


class BrigadeCommand(BaseCommand):
    # Errors whose message is meant for the user; subclasses may add their own.
    user_errors: tuple[type[BaseException], ...] = (UserError, CommandError)

    _from_command_line = False

    def run_from_argv(self, argv):
        self._from_command_line = True
        super().run_from_argv(argv)

    def execute(self, *args, **options):
        # Caught here, not in run_from_argv, where Django would turn a CommandError into exit code 1.
        # call_command (tests, other code) gets the exception itself.
        try:
            return super().execute(*args, **options)
        except self.user_errors as exc:
            if not self._from_command_line:
                raise
            self.stderr.write(f"错误：{exc}")
            sys.exit(2)

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message):
            message = in_chinese(message)
            if parser.called_from_command_line:
                parser.print_usage(sys.stderr)
                parser.exit(2, f"错误：{message}\n")
            raise CommandError(message)

        parser.error = error
        return parser

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.description = self.help
