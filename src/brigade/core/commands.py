"""A base for management commands: user errors become one Chinese line and exit code 2."""

import sys

from django.core.management.base import BaseCommand, CommandError

from brigade.core.errors import UserError


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

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # argparse's own messages stay English; the help we write is Chinese.
        parser.description = self.help
