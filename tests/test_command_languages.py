"""What a Ukrainian user meets outside the pages: the commands' output, help and errors, the API's error
details and schema texts, the sanctions matcher's reasons and the third-party apps in the admin.

Every command of ours takes `--language uk|en` (default: the LANGUAGE_CODE setting, from the environment).
"""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from manufacturers.models import ListedEntity, SanctionMatch
from manufacturers.sanctions.matching import Party, score_pair
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
CYRILLIC = re.compile("[а-яіїєґ]", re.IGNORECASE)


def run(name: str, *args: str, language: str) -> str:
    """A command's whole human output (stdout, stderr, or the refusal it raises) in `language`."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(name, *args, "--language", language, stdout=out, stderr=err)
    except CommandError as error:
        err.write(str(error))
    except SystemExit:
        pass
    return out.getvalue() + err.getvalue()


def english_lines(text: str) -> list[str]:
    """Lines with words but not one Cyrillic letter (paths, hashes and numbers alone do not count)."""
    return [
        line
        for line in text.splitlines()
        if re.search(r"[A-Za-z]{3,} [A-Za-z]{2,}", line) and not CYRILLIC.search(line)
    ]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


COMMANDS = {
    "verify_evidence": ("verify_evidence",),
    "task_worker_health": ("task_worker_health",),
    "restore without --yes": ("restore", "{tmp}/nowhere"),
    "restore of a damaged backup": ("restore", "{tmp}/nowhere", "--yes"),
    "export_teardown, unknown weapon": ("export_teardown", "--weapon", "NOPE"),
    "create_api_key, unknown organisation": ("create_api_key", "--org", "Nobody"),
    "breakdown": ("breakdown", "--weapon", "9M727"),
    "match_sanctions": ("match_sanctions",),
    "load_demo without reference data": ("load_demo",),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(COMMANDS))
def test_a_command_speaks_ukrainian_under_uk(case, media):
    args = [arg.format(tmp=media) for arg in COMMANDS[case]]
    if case == "breakdown":
        factories.FindingFactory(item__weapon_model__designation="9M727", quantity=3)
    english = run(*args, language="en")
    ukrainian = run(*args, language="uk")
    assert english_lines(english) or case == "task_worker_health"  # the check sees English
    assert ukrainian.strip() and ukrainian != english
    assert not english_lines(ukrainian), ukrainian


@pytest.mark.django_db
def test_backup_and_load_reference_report_in_ukrainian(media):
    backup = run("backup", str(media / "backup"), language="uk")
    assert re.search(r"Резервну копію записано в .*/backup: \d+ файл", backup)
    loaded = run("load_reference", language="uk")
    assert "моделі озброєння: створено 13, змінено 0, без змін 0" in loaded
    assert not english_lines(loaded), loaded


@pytest.mark.django_db
def test_without_language_a_command_speaks_the_active_language(media):
    """A fresh process activates LANGUAGE_CODE; a command run without --language keeps the active one."""
    with translation.override("uk"):
        out = io.StringIO()
        call_command("task_worker_health", stdout=out)
    assert out.getvalue().strip() == "гаразд"


def test_help_follows_language_code_from_the_environment():
    env = {**os.environ, "LANGUAGE_CODE": "uk", "DJANGO_SETTINGS_MODULE": "config.settings.base"}
    help_text = subprocess.run(
        [sys.executable, "manage.py", "backup", "--help"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    assert "Резервна копія бази даних і збережених файлів" in help_text
    assert "Новий (або порожній) каталог для резервної копії." in help_text
    assert "мова повідомлень" in help_text


# --- the sanctions matcher's reasons ---------------------------------------------------------------------


def test_match_reasons_are_stored_as_codes_and_worded_in_the_readers_language():
    from manufacturers.sanctions.reasons import reasons_text

    candidate = score_pair(
        Party(ref=1, name="Integral", aliases=["JSC Integral"], countries=["BY"]),
        Party(ref=2, name="JSC 'Integral'", aliases=["JSC ‘Integral’"], countries=["by"]),
    )
    assert all(isinstance(reason, dict) and "code" in reason for reason in candidate.reasons)
    english = reasons_text(candidate.reasons)
    assert english == ["name 'Integral' = listed name 'JSC 'Integral'' (legal form removed)", "country BY = by"]
    with translation.override("uk"):
        ukrainian = reasons_text(candidate.reasons)
    assert ukrainian == [
        "назва «Integral» = назва в списку «JSC 'Integral'» (без організаційно-правової форми)",
        "країна BY = by",
    ]


@pytest.mark.django_db
def test_the_review_queue_shows_reasons_in_ukrainian(admin_client):
    maker = factories.ManufacturerFactory(name="Strela", country="RU")
    entity = ListedEntity.objects.create(source_id="e1", schema="Company", caption="PJSC NPO Strela", digest="d")
    found = score_pair(
        Party(ref=maker.pk, name="Strela", countries=["RU"]),
        Party(ref=entity.pk, name="PJSC NPO Strela", weak_aliases=["Strela"], countries=["RU"]),
    )
    SanctionMatch.objects.create(
        manufacturer=maker, listed_entity=entity, score=found.score, strong=found.strong, reasons=list(found.reasons)
    )
    page = admin_client.get(
        reverse("admin:manufacturers_sanctionmatch_changelist"), HTTP_ACCEPT_LANGUAGE="uk"
    ).content.decode()
    assert "назва «Strela» = слабкий псевдонім у списку «Strela»" in page
    assert "слабкий псевдонім (коротка або загальна назва): не сильний збіг" in page
    assert "weak alias" not in page


# --- the admin index and the API --------------------------------------------------------------------------


@pytest.mark.django_db
def test_third_party_apps_carry_ukrainian_names_in_the_admin(client):
    client.force_login(factories.UserFactory(username="root", is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    assert "Спроби входу (django-axes)" in page and "Фонові завдання (django-tasks-db)" in page
    assert "Журнал входів" in page or "журнал входів" in page.lower()
    assert "Access attempts" not in page and "Tasks Database Backend" not in page and "Task Results" not in page


@pytest.mark.django_db
def test_api_error_details_and_schema_texts_in_ukrainian(client):
    refused = client.get("/api/v1/findings/", HTTP_AUTHORIZATION="Bearer nope", HTTP_ACCEPT_LANGUAGE="uk")
    assert refused.status_code == 401 and refused.json()["detail"] == "Недійсний ключ API."
    schema = client.get("/api/schema/", HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    assert "Код ISO 3166-1 alpha-2 ('' — невідомо)." in schema
    assert "Ключа немає, або він недійсний, прострочений чи відкликаний." in schema
    assert "ISO 3166-1 alpha-2 code ('' when unknown)." not in schema


@pytest.mark.django_db
def test_the_catalogue_names_a_makers_weapon_models_in_the_pages_language():
    from catalogue.selectors import catalogue_manufacturer

    weapon = factories.WeaponModelFactory(
        designation="9M727", name="Iskander-K cruise missile", name_uk="9M727 «Іскандер-К», крилата ракета"
    )
    maker = factories.ManufacturerFactory(name="Maxim Integrated", country="US")
    item = factories.RecoveredItemFactory(weapon_model=weapon, status="published", tlp="CLEAR")
    factories.FindingFactory(item=item, manufacturer=maker, country="US", quantity=2)
    with translation.override("uk"):
        ukrainian = catalogue_manufacturer(pk=maker.pk)["weapons"]
    english = catalogue_manufacturer(pk=maker.pk)["weapons"]
    assert [w["item__weapon_model__name"] for w in ukrainian] == ["9M727 «Іскандер-К», крилата ракета"]
    assert [w["item__weapon_model__name"] for w in english] == ["Iskander-K cruise missile"]
