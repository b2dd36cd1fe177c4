"""The interface in Ukrainian and English: the admin follows the browser and the switcher, the teardown import
reads Ukrainian headers and country names and answers in the user's language, briefings are written in the
language asked for, and reference data is named in the active language."""

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from config.common.countries import country_code, country_name
from provenance.briefings.params import BriefingParams
from provenance.models import BriefingReport, Finding
from provenance.services.teardown import teardown_import
from provenance.templatetags.briefing import fmt_date, fmt_int, fmt_share
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def iskander():
    weapon = f.WeaponModelFactory(
        designation="9M727",
        name="Iskander-K ground-launched cruise missile",
        name_uk="«Іскандер-К», крилата ракета наземного базування",
        origin_country="RU",
    )
    f.ManufacturerFactory(name="Texas Instruments", country="US")
    return weapon


def test_the_admin_follows_the_browsers_language(admin_client):
    ukrainian = admin_client.get("/admin/", headers={"accept-language": "uk,en;q=0.5"}).content.decode()
    english = admin_client.get("/admin/", headers={"accept-language": "en"}).content.decode()
    assert "Вилучені зразки" in ukrainian and "Походження компонентів" in ukrainian
    assert "Recovered items" not in ukrainian
    assert "Recovered items" in english and "Вилучені зразки" not in english


def test_the_switcher_remembers_the_choice(admin_client):
    page = admin_client.get("/admin/", headers={"accept-language": "en"}).content.decode()
    assert 'action="/i18n/setlang/"' in page and '<option value="uk"' in page
    response = admin_client.post("/i18n/setlang/", {"language": "uk", "next": "/admin/"})
    assert response.status_code == 302 and response.url == "/admin/"
    again = admin_client.get("/admin/", headers={"accept-language": "en"}).content.decode()
    assert "Вилучені зразки" in again


def test_the_login_page_speaks_ukrainian_and_offers_the_switcher():
    page = Client().get("/admin/login/", headers={"accept-language": "uk"}).content.decode()
    assert "Увійти" in page and 'id="language-switcher"' in page


def test_a_model_form_shows_ukrainian_labels_and_choices(admin_client, iskander):
    url = reverse("admin:provenance_recovereditem_add")
    page = admin_client.get(url, headers={"accept-language": "uk"}).content.decode()
    for text in ("Шифр", "Модель озброєння", "Дата вилучення", "Код дати", "Маркування", "підтверджено"):
        assert text in page, text


def test_reference_data_is_named_in_the_active_language(iskander):
    category = f.CategoryFactory(name="microcontroller", name_uk="мікроконтролер")
    with translation.override("uk"):
        assert str(iskander) == "9M727 «Іскандер-К», крилата ракета наземного базування"
        assert str(category) == "мікроконтролер"
    with translation.override("en"):
        assert str(iskander) == "9M727 Iskander-K ground-launched cruise missile"
        assert str(category) == "microcontroller"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("США", "US"),
        ("Білорусь", "BY"),
        ("Росія", "RU"),
        ("РФ", "RU"),
        ("Китай", "CN"),
        ("Японія", "JP"),
        ("Велика Британія", "GB"),
        ("Швейцарія", "CH"),
        ("Німеччина", "DE"),
        ("Нідерланди", "NL"),
        ("Сполучені Штати Америки", "US"),
        ("Малайзія", "MY"),
        ("тайвань", "TW"),
    ],
)
def test_ukrainian_country_names_are_recognised(text, code):
    assert country_code(text) == code


def test_country_names_follow_the_active_language():
    with translation.override("uk"):
        assert [country_name(c) for c in ("US", "GB", "BY", "SU", "")] == [
            "США",
            "Велика Британія",
            "Білорусь",
            "Радянський Союз (СРСР)",
            "невідомо",
        ]
    with translation.override("en"):
        assert [country_name(c) for c in ("US", "BY", "")] == ["United States", "Belarus", "unknown"]


UKRAINIAN_LIST = (
    "Шифр зразка,Озброєння,Дата вилучення,Виробник,Країна виробника,Кількість,Код дати,Маркування\n"
    "KYIV-2025-09-07-CAB,9M727,2025-09-07,Texas Instruments,США,2,2235,TMS320\n"
    "KYIV-2025-09-07-CAB,9M727,,,Росія,57,,\n"
    "KYIV-2025-09-07-CAB,9M727,,,Білорусь,5,,\n"
)


def test_the_import_reads_ukrainian_headers_and_country_names(iskander):
    result = teardown_import(file=io.BytesIO(UKRAINIAN_LIST.encode()), filename="перелік.csv")
    assert result.ok, [str(e) for e in result.errors]
    counts = {f.country: f.quantity for f in Finding.objects.filter(item__reference="KYIV-2025-09-07-CAB")}
    assert counts == {"US": 2, "RU": 57, "BY": 5}
    assert Finding.objects.get(country="US").date_code == "2235"


def test_import_errors_are_in_the_users_language(iskander):
    bad = "Шифр зразка,Озброєння,Країна виробника,Кількість\nX-1,9M727,Марс,0\n"
    with translation.override("uk"):
        result = teardown_import(file=io.BytesIO(bad.encode()), filename="bad.csv")
        lines = [str(error) for error in result.errors]
        summary = result.summary()
    assert lines == [
        "рядок 2, стовпець manufacturer_country: 'Марс' Невідома країна 'Марс': вкажіть код ISO (напр. US) або "
        "назву (напр. США чи United States).",
        "рядок 2, стовпець quantity: '0' Кількість має бути додатним цілим числом.",
    ]
    assert summary == "неправильний файл: 2 помилки у 1 рядку; нічого не імпортовано"
    with translation.override("en"):
        result = teardown_import(file=io.BytesIO(bad.encode()), filename="bad.csv")
        assert str(result.errors[1]) == "row 2, column quantity: '0' Quantity must be a positive whole number."


def test_the_admin_import_answers_in_ukrainian(admin_client, iskander):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("admin:provenance_teardown_import")
    upload = SimpleUploadedFile("bad.csv", "Шифр зразка,Озброєння,Кількість\nX-1,Х-555,1\n".encode())
    page = admin_client.post(url, {"file": upload}, headers={"accept-language": "uk"}).content.decode()
    assert "у файлі має бути стовпець manufacturer (виробник) або manufacturer_country" in page
    assert "Імпорт переліку компонентів" in page


def test_numbers_and_dates_are_formatted_for_the_language():
    with translation.override("uk"):
        assert (fmt_int(1234567), fmt_share(0.3636), fmt_date(dt.date(2025, 9, 7))) == (
            "1\xa0234\xa0567",
            "36,4%",
            "7 вересня 2025",
        )
        assert fmt_date(dt.date(2025, 9, 7), "month") == "вересень 2025"
    with translation.override("en"):
        assert (fmt_int(1234567), fmt_share(0.3636), fmt_date(dt.date(2025, 9, 7))) == (
            "1,234,567",
            "36.4%",
            "7 Sep 2025",
        )


def _world(iskander):
    owner = f.InternalOrganisationFactory()
    item = f.RecoveredItemFactory(
        reference="UA-2025-ISK", weapon_model=iskander, recovered_on=dt.date(2025, 9, 8), tlp="AMBER", owner=owner
    )
    f.FindingFactory(item=item, manufacturer=f.ManufacturerFactory(name="Altera", country="US"), quantity=1234)
    f.FindingFactory(item=item, manufacturer=None, country="RU", quantity=4)
    return item


def test_the_briefing_command_writes_ukrainian(iskander, tmp_path):
    from django.core.management import call_command

    _world(iskander)
    out = tmp_path / "briefing.html"
    call_command("briefing", "--weapon", "9M727", "--language", "uk", "--format", "html", "-o", str(out))
    html = out.read_text()
    assert '<html lang="uk">' in html
    assert "Санкційна аналітична довідка" in html and "Виробники за країнами" in html
    assert "9M727 «Іскандер-К», крилата ракета наземного базування" in html
    assert "1\xa0238 одиниць компонентів у 1 вилученому зразку" in html
    assert "США" in html and "99,7%" in html
    assert "Where the components were made" not in html and "Makers by country" not in html
    report = BriefingReport.objects.get()
    assert report.parameters["language"] == "uk"
    assert report.title == "Де виготовлено компоненти: 9M727 «Іскандер-К», крилата ракета наземного базування"


def test_english_stays_the_commands_default(iskander, tmp_path):
    from django.core.management import call_command

    _world(iskander)
    out = tmp_path / "briefing.html"
    call_command("briefing", "--weapon", "9M727", "--format", "html", "-o", str(out))
    html = out.read_text()
    assert "Makers by country" in html and "United States" in html and "1,238 component units" in html
    assert BriefingParams.from_json(BriefingReport.objects.get().parameters).language == "en"


def test_the_api_takes_a_language_and_defaults_to_the_callers(admin_client, iskander):
    _world(iskander)
    body = {"weapon": "9M727", "formats": ["html"], "language": "uk"}
    response = admin_client.post("/api/v1/briefings/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    report = BriefingReport.objects.get(pk=response.json()["id"])
    assert "Виробники за країнами" in report.html.open("rb").read().decode()

    bad = admin_client.post(
        "/api/v1/briefings/", {"weapon": "9M727", "language": "de"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "language" in bad.json()["errors"]

    guessed = admin_client.post(
        "/api/v1/briefings/",
        {"weapon": "9M727", "formats": ["csv"]},
        content_type="application/json",
        headers={"accept-language": "uk"},
    )
    assert BriefingReport.objects.get(pk=guessed.json()["id"]).parameters["language"] == "uk"


def test_the_admin_form_has_a_language_field(admin_client, iskander):
    _world(iskander)
    url = reverse("admin:provenance_briefingreport_add")
    page = admin_client.get(url, headers={"accept-language": "uk"}).content.decode()
    assert 'id="id_language"' in page and '<option value="uk" selected>' in page
    response = admin_client.post(
        url,
        {
            "weapon": "9M727",
            "attribution": "hq",
            "unit": "units",
            "period": "recovered",
            "language": "en",
            "formats": ["html"],
        },
        headers={"accept-language": "uk"},
    )
    assert response.status_code == 302
    report = BriefingReport.objects.get()
    assert report.parameters["language"] == "en"
    assert "Makers by country" in report.html.open("rb").read().decode()


def test_load_reference_gives_weapon_models_and_categories_their_ukrainian_names():
    from components.models import Category
    from provenance.models import WeaponModel
    from provenance.services.reference import reference_data_load

    reference_data_load()
    assert not WeaponModel.objects.filter(name_uk="").exists()
    assert not Category.objects.filter(name_uk="").exists()
    with translation.override("uk"):
        assert str(WeaponModel.objects.get(designation="9M727")) == (
            "9M727 «Іскандер-К», крилата ракета наземного базування"
        )
        assert str(Category.objects.get(name="FPGA")) == "ПЛІС (FPGA)"
