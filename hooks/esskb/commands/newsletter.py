"""``esskb newsletter``: print the newsletter block of an issue without building the site."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path



from ..settings import read_config, settings_of
from ..errors import ContentError
from ..newsletter import DEFAULT_COUNT, build_issue, fragment_html, fragment_text
from ..pages import Site
from . import load_project, report_problems

FORMATS = ("html", "txt")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"date invalide « {text} » : écrivez-la AAAA-MM-JJ, par exemple 2026-10-01") from None


def _count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"nombre invalide « {text} » : un entier à partir de 1")
    return int(text)


def run(args: argparse.Namespace) -> int:
    root = Path(args.root)
    if args.until and not args.since:
        print("--until demande --since (le début de la période).", file=sys.stderr)
        return 2
    if args.since and args.until and args.until < args.since:
        print(f"période vide : --until {args.until} est avant --since {args.since}.", file=sys.stderr)
        return 2
    site_url = args.site_url or settings_of(read_config(root))["site_url"]
    if not site_url:
        print("adresse du site inconnue : indiquez site_url dans mkdocs.yml ou --site-url https://…/", file=sys.stderr)
        return 2
    try:
        corpus, _ = load_project(root)
    except ContentError as exc:
        return report_problems(exc, "corrigez-les puis relancez.")
    issue = build_issue(Site(corpus), site_url, since=args.since, until=args.until, count=args.count)
    text = fragment_text(issue) if args.format == "txt" else fragment_html(issue)
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "newsletter",
        help="afficher le bloc « Quoi de neuf » d'un numéro de la lettre d'information",
        description=(
            "Affiche le bloc de la lettre d'information (HTML à coller dans Brevo, Mailchimp, Sarbacane…,\n"
            "ou sa version texte) sans construire le site. Avec --since, le bloc reprend les fiches et les cas\n"
            "publiés pendant la période, puis ceux qui y ont été mis à jour ; sans --since, les plus récents\n"
            f"(extra.esskb.newsletter_items dans mkdocs.yml, {DEFAULT_COUNT} par défaut), comme le site.\n"
            "Les brouillons n'y figurent jamais. Les liens sont absolus, à partir de site_url (mkdocs.yml)."
        ),
        epilog=(
            "Exemples :\n"
            "  python -m esskb newsletter --since 2026-10-01 --until 2026-10-31 > bloc.html\n"
            "  python -m esskb newsletter --since 2026-10-01 --format txt > bloc.txt\n"
            "  python -m esskb newsletter --count 5\n"
            "  python -m esskb newsletter --since 2026-10-01 --site-url https://www.exemple.org/base/"
        ),
    )
    p.add_argument("--since", type=_date, metavar="AAAA-MM-JJ", help="début de la période (inclus)")
    p.add_argument("--until", type=_date, metavar="AAAA-MM-JJ", help="fin de la période (incluse) ; par défaut, sans limite")
    p.add_argument("--format", choices=FORMATS, default="html", help="html (par défaut) ou txt (version texte)")
    p.add_argument("--count", type=_count, metavar="N", help="sans --since : nombre de nouveautés (par défaut celui de mkdocs.yml)")
    p.add_argument("--site-url", metavar="URL", help="adresse du site pour les liens (par défaut site_url de mkdocs.yml)")
    p.set_defaults(run=run)
