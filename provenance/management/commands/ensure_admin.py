"""Ensure a local admin account exists; print its credentials the first time only."""

import secrets

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.common.commands import LocalizedCommand
from provenance.services.organisations import organisation_internal


class Command(LocalizedCommand):
    help = gettext_lazy("Create the local admin account (user 'admin') if none exists and print its password once.")

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username: str, **options):
        user_model = get_user_model()
        if user_model.objects.filter(username=username).exists():
            self.stdout.write(
                _("Admin account '{username}' exists (password as printed when it was created).").format(
                    username=username
                )
            )
            return
        password = secrets.token_urlsafe(12)
        user = user_model.objects.create_superuser(username=username, email="", password=password)
        organisation_internal().members.add(user)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Created admin account for http://127.0.0.1:8000/admin/\n"
                    "  username: {username}\n  password: {password}\n(shown once: note it now)"
                ).format(username=username, password=password)
            )
        )
