"""mkdocs hook: the reference pages that are generated from the code.

``<!-- config-keys -->`` in a page becomes the keys each table of a model file accepts,
asked of the loader itself (riskscore.model.schema); ``<!-- project-keys -->`` the keys of
riskscore.toml from the project loader's own table (riskscore.inputs.project.PROJECT_KEYS);
``<!-- cli-reference -->`` every command's help, as click prints it.
"""

from __future__ import annotations

from typing import Any


def config_keys_markdown() -> str:
    from riskscore.model.schema import model_keys

    lines = ["| table | keys it accepts |", "|---|---|"]
    for table, keys in model_keys().items():
        lines.append(f"| `{table}` | " + ", ".join(f"`{k}`" for k in keys) + " |")
    return "\n".join(lines)


def project_keys_markdown() -> str:
    from riskscore.inputs.project import PROJECT_KEYS

    lines = ["| key | what it names | default |", "|---|---|---|", "| `name` | the project's "
             "name | the folder's name |"]
    for key, (default, what) in PROJECT_KEYS.items():
        lines.append(f"| `{key}` | {what} | " + (f"`{default}`" if default else "none") + " |")
    return "\n".join(lines)


def cli_markdown() -> str:
    """Every command of the command line with its help text, as click prints it."""
    import click

    from riskscore.cli.main import cli

    out = []

    def walk(command: click.Command, path: list[str], parent: click.Context | None) -> None:
        ctx = click.Context(command, info_name=" ".join(path), parent=None,
                            terminal_width=100, max_content_width=100)
        if len(path) > 1:
            out.append(f"## `{' '.join(path)}`\n\n```text\n{command.get_help(ctx)}\n```\n")
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                if sub is not None and not sub.hidden:
                    walk(sub, [*path, name], ctx)

    top = click.Context(cli, info_name="riskscore", terminal_width=100, max_content_width=100)
    out.insert(0, f"```text\n{cli.get_help(top)}\n```\n")
    walk(cli, ["riskscore"], None)
    return "\n".join(out)


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    if "<!-- cli-reference -->" in markdown:
        markdown = markdown.replace("<!-- cli-reference -->", cli_markdown())
    if "<!-- config-keys -->" in markdown:
        markdown = markdown.replace("<!-- config-keys -->", config_keys_markdown())
    if "<!-- project-keys -->" in markdown:
        markdown = markdown.replace("<!-- project-keys -->", project_keys_markdown())
    return markdown
