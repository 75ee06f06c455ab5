"""The ``innendienst`` command.

innendienst serve [--dev] [--host H] [--port P] [--workers N] [--threads N]   the web application
innendienst worker                                               background jobs (Huey)
innendienst demo [--size small|medium|large|1m|N] [--seed N]     load demo data
innendienst <any Django management command>                      e.g. migrate, createsuperuser
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any


def _serve(args: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="innendienst serve", description="Serve the web application."
    )
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("WEB_CONCURRENCY", str(min(4, (os.cpu_count() or 1) + 1)))),
    )
    parser.add_argument(
        "--threads", type=int, default=int(os.environ.get("WEB_THREADS", "2")), help="per worker"
    )
    parser.add_argument(
        "--dev", action="store_true", help="Django's auto-reloading development server"
    )
    options = parser.parse_args(args)

    if options.dev:
        os.environ.setdefault("DEBUG", "1")
        from django.core.management import execute_from_command_line

        execute_from_command_line(["innendienst", "runserver", f"{options.host}:{options.port}"])
        return 0

    import django
    from gunicorn.app.base import BaseApplication

    django.setup()
    from innendienst.wsgi import application

    class Server(BaseApplication):
        def __init__(self, config: dict[str, Any]) -> None:
            self.config = config
            super().__init__()

        def load_config(self) -> None:
            for key, value in self.config.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    print(f"Innendienst läuft auf / is serving on http://{options.host}:{options.port}", flush=True)
    Server(
        {
            "bind": f"{options.host}:{options.port}",
            "workers": options.workers,
            "worker_class": "gthread",
            "threads": options.threads,
            "timeout": 60,
            "graceful_timeout": 20,
            "accesslog": os.environ.get("ACCESS_LOG", "-"),
            "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        }
    ).run()
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innendienst.settings")
    command = argv[1] if len(argv) > 1 else "help"
    if command == "serve":
        return _serve(argv[2:])
    if command == "worker":
        argv = [argv[0], "run_huey", *argv[2:]]
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
