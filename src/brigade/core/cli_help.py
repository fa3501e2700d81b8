"""Chinese help for the options Django adds to every command, and for the Django commands users run.

Django's own commands (migrate, createsuperuser …) and the options of every command (--verbosity,
--settings …) carry English help that Django does not translate. ``chinese_parser`` rewrites a
command's parser in place: the usage prefix, the section titles, each option's help and, for
Django's commands, the description.
"""

from argparse import ArgumentParser, _SubParsersAction

from django.core.management.base import DjangoHelpFormatter

# Options every management command has, by argparse dest.
COMMON_OPTIONS = {
    "help": "显示本帮助并退出",
    "version": "显示程序版本并退出",
    "verbosity": "输出详细程度：0 最少，1 正常（默认），2 详细，3 非常详细",
    "settings": "使用的设置模块（Python 路径），默认为 brigade.settings",
    "pythonpath": "加入 Python 搜索路径的目录（一般不需要）",
    "traceback": "出错时显示完整的 Python 调用栈（供技术人员排查问题）",
    "no_color": "输出不加颜色",
    "force_color": "强制输出加颜色",
    "skip_checks": "跳过启动前的系统检查",
    "interactive": "不进行任何交互式询问（用于脚本）",
    "database": "使用的数据库连接（本系统只有 default）",
}

# Django's commands that Brigade's help and documents name: description and their own options.
DJANGO_COMMANDS = {
    "migrate": ("建立或升级数据库结构（首次安装和每次升级后运行）", {
        "app_label": "只处理这个应用",
        "migration_name": "把数据库结构迁移到这一步为止（zero 表示全部撤销）",
        "fake": "只标记为已执行，不真正改动数据库",
        "fake_initial": "表已存在时把初始迁移标记为已执行",
        "plan": "只列出将要执行的迁移步骤",
        "run_syncdb": "为没有迁移文件的应用直接建表",
        "check_unapplied": "有未执行的迁移时以非零状态退出，不执行迁移",
        "prune": "从记录中删除已不存在的迁移",
    }),
    "createsuperuser": ("创建管理员账号", {
        "username": "管理员的登录名",
        "email": "管理员的电子邮箱",
    }),
    "changepassword": ("修改某个账号的密码", {
        "username": "要修改密码的登录名（默认为当前系统用户名）",
    }),
    "check": ("检查系统配置；生产部署前运行 brigade check --deploy", {
        "args": "只检查这些应用",
        "tags": "只运行带这个标签的检查",
        "list_tags": "列出可用的检查标签",
        "deploy": "同时检查生产部署的安全设置",
        "fail_level": "达到这个级别的问题才以非零状态退出",
        "databases": "同时检查这些数据库连接",
    }),
    "collectstatic": ("把网页静态文件收集到 var/static/（生产服务器也可直接提供，无需此步）", {
        "link": "建立符号链接而不是复制文件",
        "dry_run": "只列出将要做的事，不改动文件",
        "clear": "先清空已收集的文件",
        "ignore_patterns": "忽略与此模式匹配的文件（可多次指定）",
        "use_default_ignore_patterns": "不忽略常见的隐藏文件模式",
        "post_process": "不做收集后的处理",
    }),
    "serve": (None, {
        "addrport": "监听的端口，或“地址:端口”，默认 127.0.0.1:8000",
        "use_ipv6": "使用 IPv6 地址",
        "use_threading": "开发模式下不使用多线程",
        "use_reloader": "开发模式下修改代码后不自动重启",
        "use_static_handler": "开发模式下不提供静态文件",
        "insecure_serving": "在非调试模式下也由开发服务器提供静态文件",
    }),
}


class ChineseHelpFormatter(DjangoHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix="用法：" if prefix is None else prefix)


def chinese_parser(parser: ArgumentParser, command: str) -> ArgumentParser:
    """Give ``parser`` Chinese section titles, usage prefix and option help, in place."""
    description, options = DJANGO_COMMANDS.get(command, (None, {}))
    parser.formatter_class = ChineseHelpFormatter
    parser._positionals.title = "位置参数"
    parser._optionals.title = "选项"
    if description:
        parser.description = description
    for action in parser._actions:
        text = options.get(action.dest) or COMMON_OPTIONS.get(action.dest)
        if text:
            action.help = text
        if isinstance(action, _SubParsersAction):
            action.help = action.help or "子命令，各自的参数用“子命令 --help”查看"
            for name, subparser in action.choices.items():
                chinese_parser(subparser, f"{command} {name}")
    return parser
