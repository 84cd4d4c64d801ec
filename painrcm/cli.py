"""The one CLI: generate, ingest, build, run, demo, serve, export, scorecard.

It orchestrates and reports; the rules live in seeds/ and the dbt models.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

from painrcm.choices import ClaimsFormat, Engine, ExportFormat, ListFormat, Role, WorkStatus

app = typer.Typer(
    help="painrcm: revenue-cycle analytics warehouse for pain-management practices.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(stderr=True)


def _flag_type(display_type_rich: Callable) -> Callable:
    """typer 0.29 prints a type beside flags (`--help <bool>`), which take no value."""

    def display(self, ctx):
        return None if getattr(self, "is_flag", False) else display_type_rich(self, ctx)

    return display


typer.core.TyperOption.display_type_rich = _flag_type(typer.core.TyperOption.display_type_rich)


@app.callback()
def _private_files() -> None:
    """painrcm: revenue-cycle analytics warehouse for pain-management practices."""
    import os

    from painrcm.private import UMASK

    # Everything painrcm and the tools it runs (dbt, DuckDB, Spark) create is PHI or next to
    # it: readable by its owner only (files 0600, folders 0700).
    os.umask(UMASK)


DEMO_AS_OF = "2026-11-30"

WarehouseOpt = Annotated[
    Path, typer.Option("--warehouse", "-w", help="DuckDB warehouse file (created if missing).")
]
ExistingWarehouseOpt = Annotated[
    Path,
    typer.Option(
        "--warehouse", "-w", help="DuckDB warehouse file (must exist: ingest or run creates it)."
    ),
]
OptionalWarehouseOpt = Annotated[
    Path | None,
    typer.Option("--warehouse", "-w", help="DuckDB warehouse file (or give --spark-warehouse)."),
]
SparkReadOpt = Annotated[
    Path | None,
    typer.Option(
        "--spark-warehouse",
        help="Read the marts of a Spark build (`painrcm build --engine spark`) in this folder "
        "instead of a DuckDB warehouse.",
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="As-of date YYYY-MM-DD for time-relative rules (default today)."),
]


def _fail(message: str) -> None:
    console.print(f"[red]painrcm: error:[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def _either(words: list[str]) -> str:
    return ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else words[0]


def one_of(
    flag: str, choices: type[StrEnum], case_sensitive: bool = True
) -> Callable[[str], StrEnum]:
    """Typer parser of an option whose value is one member of `choices`: a value outside it
    fails like every painrcm error, in one line naming the option, exit status 1 (typer's
    own check of an Enum option prints a usage box and exits 2)."""

    def parse(value: str) -> StrEnum:
        if isinstance(value, choices):
            return value
        for member in choices:
            if member.value == value or (
                not case_sensitive and member.value.casefold() == str(value).casefold()
            ):
                return member
        _fail(f"{flag} '{value}' is not known: use {_either([m.value for m in choices])}")

    return parse


def _parse_date(value: str | None, flag: str = "--as-of") -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        _fail(f"{flag} '{value}' is not a date: use YYYY-MM-DD, e.g. 2026-06-30")


@contextmanager
def _progress(label: str, total: int | None = None) -> Iterator[Callable[..., None]]:
    columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn()]
    with Progress(
        *columns, console=console, transient=True, disable=not console.is_terminal
    ) as bar:
        task = bar.add_task(label, total=total)

        def advance(*_args, **kwargs) -> None:
            if "total" in kwargs:
                bar.update(task, total=kwargs["total"])
            bar.advance(task)

        yield advance


@contextmanager
def _errors() -> Iterator[None]:
    """Turn expected failures into one actionable line and exit code 1; SIGTERM and SIGHUP
    stop the command as Ctrl+C does (painrcm.interrupt), leaving nothing half-written."""
    from painrcm.interrupt import stop_signals_raise
    from painrcm.runner import RunFailed
    from painrcm.warehouse import WarehouseLocked

    try:
        with stop_signals_raise():
            yield
    except typer.Exit:
        raise
    except KeyboardInterrupt as exc:
        _fail(f"interrupted ({exc or 'Ctrl+C'}): nothing half-done was published or kept")
    except (
        FileNotFoundError,
        NotADirectoryError,
        PermissionError,
        WarehouseLocked,
        RunFailed,
        ValueError,
    ) as exc:
        _fail(str(exc))


@app.command()
def generate(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the inbox into.")],
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same files.")] = 7,
    months: Annotated[int, typer.Option(min=1, help="Months of history.")] = 12,
    providers: Annotated[int, typer.Option(min=1, help="Rendering providers.")] = 6,
    claims_per_month: Annotated[int, typer.Option(min=1, help="Claims per month.")] = 400,
    as_of: AsOfOpt = DEMO_AS_OF,
    pm_style: Annotated[
        bool,
        typer.Option(
            "--pm-style",
            help="Write appointments, claims and authorizations as a PM system exports them, "
            "with the column maps that read them in inbox/_maps/.",
        ),
    ] = False,
    claims_format: Annotated[
        ClaimsFormat,
        typer.Option(
            "--claims-format",
            parser=one_of("--claims-format", ClaimsFormat),
            help="Claims as the CSV extract (csv), as the 837P batches a PM sends (837), or both.",
        ),
    ] = ClaimsFormat.CSV,
) -> None:
    """Write a synthetic practice's inbox (every extract, 835 remits) and its ground truth."""
    from painrcm.generate import generate_practice
    from painrcm.generate.ack_writer import deliver_as_837
    from painrcm.generate.pm_style import write_pm_style

    with _errors(), _progress("generating") as advance:
        manifest = generate_practice(
            out,
            seed=seed,
            months=months,
            providers=providers,
            claims_per_month=claims_per_month,
            as_of=_parse_date(as_of),
            progress=advance,
        )
        if claims_format != "csv":
            deliver_as_837(out, keep_csv=claims_format == "both")  # + its 999s
        if pm_style:
            write_pm_style(out)
    counts = manifest.get("counts", {})
    typer.echo(
        f"wrote {out}: " + ", ".join(f"{k} {v}" for k, v in counts.items() if isinstance(v, int))
    )


def _print_report(report) -> None:
    for line in report.summary_lines():
        typer.echo(line)
    typer.echo(
        f"{report.files_loaded} file(s) loaded, {report.rows_loaded} rows, "
        f"{report.rows_quarantined} quarantined"
    )


@app.command()
def ingest(
    inbox: Annotated[Path, typer.Option("--inbox", help="Inbox folder (INPUTS.md layout).")],
    warehouse: WarehouseOpt,
) -> None:
    """Load every new file of the inbox into raw.* (a file already loaded is skipped)."""
    from painrcm.runner import ingest_into
    from painrcm.warehouse import staged

    with _errors():
        if not inbox.is_dir():
            _fail(f"inbox {inbox} is not a folder")
        with staged(warehouse) as work, _progress("ingesting") as advance:
            report = ingest_into(work, inbox, advance)
    _print_report(report)


@app.command()
def build(
    warehouse: ExistingWarehouseOpt,
    as_of: AsOfOpt = None,
    engine: Annotated[
        Engine,
        typer.Option(
            "--engine",
            parser=one_of("--engine", Engine),
            help="duckdb (build into the warehouse file) or spark (marts as Parquet tables "
            "of a Spark warehouse; needs the spark extra and Java 17).",
        ),
    ] = Engine.DUCKDB,
    spark_warehouse: Annotated[
        Path | None,
        typer.Option(
            "--spark-warehouse",
            help="--engine spark: the Spark warehouse folder (marts in DIR/marts.db/<mart>/).",
        ),
    ] = None,
) -> None:
    """Run dbt build into a copy of the warehouse and publish it atomically on success.
    With --engine spark the raw layer of the warehouse is built on Spark instead."""
    from painrcm.build import build as dbt_build
    from painrcm.build import dbt_artifacts_dir
    from painrcm.runner import RunFailed
    from painrcm.warehouse import staged

    as_of_date = _parse_date(as_of)
    if engine == "spark" and spark_warehouse is None:
        _fail("--engine spark needs --spark-warehouse DIR (where the marts are written)")
    with _errors():
        if not Path(warehouse).exists():
            _fail(f"warehouse {warehouse} does not exist: run `painrcm ingest` first")
        if engine == "spark":
            from painrcm.spark import build_spark, spark_missing_reason

            reason = spark_missing_reason()
            if reason:
                _fail(f"cannot build on Spark: {reason}")
            with _progress("dbt build (spark)") as advance:
                result = build_spark(Path(warehouse), spark_warehouse, as_of_date, advance)
            if not result.success:
                raise RunFailed(f"spark build failed: {result.message}")
            warned = f", {len(result.warning_nodes)} warned" if result.warning_nodes else ""
            typer.echo(
                f"built {spark_warehouse}/marts.db on Spark: "
                f"{result.nodes_passed} dbt nodes passed{warned}"
            )
            return
        # Raising inside staged() discards the work copy: nothing is published.
        with staged(warehouse) as work, _progress("dbt build") as advance:
            result = dbt_build(work, as_of_date, dbt_artifacts_dir(warehouse), advance)
            if not result.success:
                raise RunFailed(
                    f"build failed, the last good warehouse is unchanged: {result.message}"
                )
        from painrcm.work.autoclose import sync_after_build

        sync_after_build(warehouse)  # published: close work items that left their worklist
    typer.echo(
        f"built {warehouse}: {result.nodes_passed} dbt nodes passed"
        + (f", {len(result.warning_nodes)} warned" if result.warning_nodes else "")
    )


@app.command()
def run(
    inbox: Annotated[Path, typer.Option("--inbox", help="Inbox folder.")],
    warehouse: WarehouseOpt,
    as_of: AsOfOpt = None,
) -> None:
    """The scheduled job: ingest, then build; one lock; a raw.run_history row per run."""
    from painrcm.runner import scheduled_run

    as_of_date = _parse_date(as_of)
    with _errors():
        if not inbox.is_dir():
            _fail(f"inbox {inbox} is not a folder")
        with _progress("ingest + build") as advance:
            outcome = scheduled_run(inbox, warehouse, as_of_date, advance, advance)
    _print_report(outcome.report)
    typer.echo(f"run {outcome.run_id}: success, {outcome.build.nodes_passed} dbt nodes passed")


@app.command()
def docs(
    warehouse: ExistingWarehouseOpt,
    out: Annotated[Path, typer.Option("--out", help="Folder for the static docs page.")],
) -> None:
    """Write dbt docs (lineage, every model and column) as one static HTML page."""
    import shutil
    import tempfile

    from painrcm.build import run_dbt

    with _errors():
        if not Path(warehouse).exists():
            _fail(f"warehouse {warehouse} does not exist: run `painrcm run` first")
        # The catalog query runs on a private copy: the published file stays read-only.
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "warehouse.duckdb"
            shutil.copyfile(warehouse, copy)
            res = run_dbt(copy, ["docs", "generate", "--static"], None, Path(tmp))
            if not res.success:
                _fail(f"dbt docs generate failed: {res.exception or 'see the dbt log'}")
            out.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(tmp) / "target" / "static_index.html", out / "index.html")
    typer.echo(f"wrote {out / 'index.html'}")


@app.command()
def demo(
    dir: Annotated[Path, typer.Option("--dir", help="Where the demo inbox and warehouse go.")] = (
        Path("demo")
    ),
    seed: Annotated[int, typer.Option(help="Random seed of the demo practice.")] = 7,
    claims_per_month: Annotated[int, typer.Option(help="Claims per month.")] = 400,
) -> None:
    """Generate the demo practice, ingest it and build the warehouse (DIR/warehouse.duckdb)."""
    inbox = dir / "inbox"
    warehouse = dir / "warehouse.duckdb"
    generate(
        out=inbox,
        seed=seed,
        months=12,
        providers=6,
        claims_per_month=claims_per_month,
        as_of=DEMO_AS_OF,
        # the format practices really have (tests/test_claims_837_practice.py: same marts)
        claims_format="837",
    )
    run(inbox=inbox, warehouse=warehouse, as_of=DEMO_AS_OF)
    typer.echo(f"demo warehouse ready: {warehouse} (as of {DEMO_AS_OF})")


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _readable_warehouse(warehouse: Path | None, spark_warehouse: Path | None) -> Path:
    """The DuckDB file to read: the warehouse, or the serving file of a Spark build."""
    if (warehouse is None) == (spark_warehouse is None):
        _fail("give either --warehouse PATH or --spark-warehouse DIR")
    if spark_warehouse is not None:
        from painrcm.spark import serving_warehouse

        return serving_warehouse(spark_warehouse)
    if not Path(warehouse).exists():
        _fail(f"warehouse {warehouse} does not exist: run `painrcm run` or `painrcm demo`")
    return Path(warehouse)


@app.command()
def serve(
    warehouse: OptionalWarehouseOpt = None,
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8501,
    host: Annotated[
        str,
        typer.Option(
            help="Address to bind. Default 127.0.0.1 (this machine only); any other address "
            "exposes PHI to the network and needs PAINRCM_DASHBOARD_PASSWORD set (or "
            "--no-password)."
        ),
    ] = "127.0.0.1",
    spark_warehouse: SparkReadOpt = None,
    no_password: Annotated[
        bool,
        typer.Option(
            "--no-password",
            help="Serve on a non-loopback --host without a password (e.g. behind a proxy "
            "that authenticates).",
        ),
    ] = False,
) -> None:
    """Serve the dashboards (Streamlit) over the warehouse; keeps working during builds.
    Stops (with the server) on Ctrl+C, SIGTERM or SIGHUP."""
    import os

    from painrcm.paths import dashboards_dir
    from painrcm.serve import ServerDied, port_in_use, run_server

    with _errors():
        warehouse = _readable_warehouse(warehouse, spark_warehouse)
        env = dict(os.environ)
        if host in LOOPBACK:
            # Local only: no gate (the password is for an explicit --host elsewhere).
            env.pop("PAINRCM_DASHBOARD_PASSWORD", None)
        elif not env.get("PAINRCM_DASHBOARD_PASSWORD") and not no_password:
            _fail(
                f"--host {host} would serve PHI to the network without a password: set "
                "PAINRCM_DASHBOARD_PASSWORD, or pass --no-password if something else guards it"
            )
        if port_in_use(host, port):
            _fail(
                f"port {port} on {host} is already in use (another `painrcm serve`?): "
                "stop it or pick another --port"
            )
        env["PAINRCM_WAREHOUSE"] = str(Path(warehouse).resolve())
        if host not in LOOPBACK:
            from painrcm.work.db import state_exists

            if state_exists(warehouse):  # named users of the work queue sign in
                env["PAINRCM_DASHBOARD_LOGIN"] = "1"
        cmd = [
            sys.executable, "-m", "dashboards.streamlit_main",  # streamlit, pages via app.py
            "run", str(dashboards_dir() / "app.py"),
            "--server.address", host, "--server.port", str(port),
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--client.toolbarMode", "minimal",
            "--", "--warehouse", str(Path(warehouse).resolve()),
        ]  # fmt: skip
        typer.echo(f"serving {warehouse} on http://{host}:{port} (Ctrl+C stops)")
        try:
            run_server(cmd, env)
        except ServerDied as exc:
            _fail(str(exc))
    typer.echo("stopped")


@app.command()
def export(
    mart: Annotated[str, typer.Argument(help="Mart name, e.g. ar_worklist.")],
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
    warehouse: OptionalWarehouseOpt = None,
    spark_warehouse: SparkReadOpt = None,
    format: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format",
            parser=one_of("--format", ExportFormat, case_sensitive=False),
            help="csv or xlsx (any case); default: from the --out extension.",
        ),
    ] = None,
    payer: Annotated[
        list[str] | None, typer.Option("--payer", help="Only these payer_id (repeatable).")
    ] = None,
) -> None:
    """Export one mart as CSV or XLSX (worklists in working order; XLSX split past 1,048,575
    rows a sheet)."""
    from painrcm.export import export_mart

    with _errors():
        warehouse = _readable_warehouse(warehouse, spark_warehouse)
        rows, sheets = export_mart(warehouse, mart, format, out, payer or None)
    typer.echo(f"wrote {out}: {rows} rows" + (f" in {sheets} sheets" if sheets > 1 else ""))


# --- column maps (INPUTS.md "Column maps"): connecting a practice's own PM exports ---------

map_app = typer.Typer(
    help="Column maps (inbox/_maps/<kind>.yml): draft one from an export, check them.",
    no_args_is_help=True,
)
app.add_typer(map_app, name="map")


@map_app.command("suggest")
def map_suggest(
    file: Annotated[Path, typer.Argument(help="A CSV export of the practice's PM system.")],
    kind: Annotated[str, typer.Option("--kind", help="Extract kind, e.g. claims.")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the draft here instead of stdout.")
    ] = None,
) -> None:
    """Print a draft map for FILE: each canonical column matched to its closest header."""
    from ingest.map_suggest import suggest

    with _errors():
        if not file.is_file():
            _fail(f"{file} is not a file")
        text = suggest(file, kind)
        if out is None:
            typer.echo(text, nl=False)
            return
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {out}: edit it, then run `painrcm map check --inbox DIR`")


@map_app.command("check")
def map_check(
    inbox: Annotated[Path, typer.Option("--inbox", help="Inbox folder (INPUTS.md layout).")],
    warehouse: Annotated[
        Path | None,
        typer.Option(
            "--warehouse", "-w", help="Skip files this warehouse already loaded (read only)."
        ),
    ] = None,
) -> None:
    """Say, per waiting CSV, what would load and what would be quarantined, loading nothing.

    Exits 1 when a map is wrong or a file would be rejected."""
    from ingest.map_check import check_inbox

    with _errors():
        report = check_inbox(inbox, warehouse)
    for line in report.lines():
        typer.echo(line)
    if report.rejected:
        _fail(f"{report.rejected} file(s) would be rejected: see REJECTED above")


@app.command()
def scorecard(
    payer_id: Annotated[str, typer.Argument(help="Payer id, e.g. COPEC.")],
    out: Annotated[Path, typer.Option("--out", help="FILE.pdf (one page) or FILE.xlsx.")],
    warehouse: OptionalWarehouseOpt = None,
    spark_warehouse: SparkReadOpt = None,
    period: Annotated[
        str, typer.Option("--period", help="12m (the 12 months to the as-of date) or YYYY.")
    ] = "12m",
) -> None:
    """The negotiator's payer scorecard: a one-page PDF or an XLSX (figures, codes,
    denials, underpaid lines) for one payer and period."""
    from painrcm.scorecard import load
    from painrcm.scorecard_files import file_kind, write

    with _errors():
        file_kind(out)
        warehouse = _readable_warehouse(warehouse, spark_warehouse)
        card = load(warehouse, payer_id, period)
        kind = write(card, out)
    typer.echo(
        f"wrote {out}: {kind.upper()} scorecard of {card.payer}, {period}, as of {card.as_of}"
    )


users_app = typer.Typer(
    help="Named users of the work queue (biller, manager).", no_args_is_help=True
)
work_app = typer.Typer(help="The shared work queue of the worklist marts.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(work_app, name="work")


@contextmanager
def _work_errors() -> Iterator[None]:
    from painrcm.work.items import NotAllowed, StaleEdit

    try:
        with _errors():
            yield
    except (NotAllowed, StaleEdit) as exc:
        _fail(str(exc))


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="User name (what --as and assignee use).")],
    warehouse: WarehouseOpt,
    role: Annotated[
        Role, typer.Option("--role", parser=one_of("--role", Role), help="biller or manager.")
    ] = Role.BILLER,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Add a user (or reset an existing user's role and password); the password is stored
    as an argon2 hash in the state database beside the warehouse."""
    from painrcm.work.db import open_state
    from painrcm.work.users import add_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = typer.prompt(f"password for {name}", hide_input=True, confirmation_prompt=True)
    else:
        _fail("no terminal to ask for the password: pipe it in with --password-stdin")
    with _work_errors():
        user = add_user(open_state(warehouse), name, role, password)
    typer.echo(f"user {user.name} ({user.role}) saved")


@work_app.command("set")
def work_set(
    mart: Annotated[str, typer.Argument(help="Worklist mart, e.g. ar_worklist.")],
    key: Annotated[list[str], typer.Argument(help="The mart's natural key values, in order.")],
    warehouse: WarehouseOpt,
    as_user: Annotated[str, typer.Option("--as", help="Who is making the change.")],
    status: Annotated[
        WorkStatus | None,
        typer.Option(
            parser=one_of("--status", WorkStatus),
            help="new, in_progress, waiting_on_payer, done or snoozed.",
        ),
    ] = None,
    assignee: Annotated[
        str | None, typer.Option(help="User to assign (empty string: unassign).")
    ] = None,
    follow_up: Annotated[
        str | None, typer.Option("--follow-up", help="Follow-up date YYYY-MM-DD.")
    ] = None,
    note: Annotated[str | None, typer.Option(help="A note for the item's history.")] = None,
) -> None:
    """Set the status, assignee, follow-up date or a note of one worklist row."""
    from painrcm.work.db import open_state
    from painrcm.work.items import UNSET, save
    from painrcm.work.keys import key_values
    from painrcm.work.rows import require_row

    follow = _parse_date(follow_up, "--follow-up")
    if status is None and assignee is None and follow is None and not note:
        _fail("nothing to set: give --status, --assignee, --follow-up or --note")
    with _work_errors():
        values = key_values(mart, key)
        require_row(_readable_warehouse(warehouse, None), mart, values)
        item = save(
            open_state(warehouse),
            mart,
            values,
            as_user,
            status=UNSET if status is None else status,
            assignee=UNSET if assignee is None else assignee,
            follow_up_date=UNSET if follow is None else follow,
            note=note,
        )
    typer.echo(
        f"{mart} {' '.join(item.key)}: {item.status}"
        + (f", assigned to {item.assignee}" if item.assignee else ", unassigned")
        + (f", follow up {item.follow_up_date.isoformat()}" if item.follow_up_date else "")
        + f" (version {item.version})"
    )


@work_app.command("list")
def work_list(
    warehouse: WarehouseOpt,
    assignee: Annotated[str | None, typer.Option(help="Only this user's items.")] = None,
    due: Annotated[
        str | None, typer.Option("--due", help="Only follow-ups due on or before YYYY-MM-DD.")
    ] = None,
    format: Annotated[
        ListFormat,
        typer.Option("--format", parser=one_of("--format", ListFormat), help="table or csv."),
    ] = ListFormat.TABLE,
) -> None:
    """The open work items (not done), follow-ups due first."""
    from painrcm.work.db import open_state
    from painrcm.work.listing import list_frame

    due_date = _parse_date(due, "--due")
    with _work_errors():
        df = list_frame(open_state(warehouse), assignee, due_date)
    if format == "csv":
        sys.stdout.write(df.write_csv())
        return
    if df.is_empty():
        typer.echo("no open work items" + (f" for {assignee}" if assignee else ""))
        return
    from rich.table import Table

    table = Table(*df.columns)
    for row in df.iter_rows():
        table.add_row(*("" if v is None else str(v) for v in row))
    Console(width=200).print(table)


@app.command()
def appeal(
    claim_id: Annotated[str, typer.Argument(help="The denied claim (patient control number).")],
    warehouse: WarehouseOpt,
    out: Annotated[Path, typer.Option("--out", help="FILE.docx (to edit) or FILE.pdf (to send).")],
    line: Annotated[
        int | None,
        typer.Option("--line", help="Only this claim line (default: every denied line)."),
    ] = None,
) -> None:
    """Write the appeal packet of a denial: letter on the practice's letterhead with the
    payer's address, the denial in words, authorization, policy, medical necessity and
    enclosures (letterhead: practice.toml beside the warehouse or PAINRCM_PRACTICE_CONFIG)."""
    from painrcm.appeal.packet import write_packet

    with _errors():
        facts = write_packet(_readable_warehouse(warehouse, None), claim_id, out, line)
    typer.echo(
        f"wrote {out}: appeal of claim {claim_id} to {facts.payer.name}, "
        f"{len(facts.lines)} denied line(s)"
        + (f", deadline {facts.appeal_deadline.isoformat()}" if facts.appeal_deadline else "")
        + f" (letterhead from {facts.practice_source})"
    )


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
