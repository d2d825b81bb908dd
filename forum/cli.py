"""The `forum` console script: the Flask command line of this app, without --app."""

from flask.cli import FlaskGroup

from forum import create_app


def main() -> None:
    """Run the forum's command line (`forum run`, `forum db upgrade`, `forum user ...`)."""
    FlaskGroup(create_app=create_app, help="Dialogue Forum: run the forum and administer it.").main(
        prog_name="forum"
    )
