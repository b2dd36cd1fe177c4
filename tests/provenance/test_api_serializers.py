"""The partner finding serializers build their output directly for speed; it must equal DRF's own."""

import datetime as dt

import pytest
from rest_framework import serializers

from provenance.api.serializers import (
    FINDING_ROW_COLUMNS,
    FindingInItemSerializer,
    FindingSerializer,
    finding_lines,
)
from provenance.models import Finding
from tests import factories


@pytest.fixture
def findings(db):
    source = factories.SourceFactory(url="", published_on=dt.date(2025, 9, 8))
    full = factories.FindingFactory(
        part=factories.PartFactory(part_number="STM32F407"),
        category=factories.CategoryFactory(name="microcontroller"),
        source=source,
        origin_country="MY",
        origin_marking="MALAYSIA",
        date_code="2315",
        produced_year=2023,
        produced_week=15,
        module="CH-99 GNSS receiver",
        marking="STM32F407 VGT6",
    )
    country_only = factories.FindingFactory(manufacturer=None, country="RU", source=factories.SourceFactory())
    return [full, country_only]


@pytest.mark.parametrize("serializer_class", [FindingInItemSerializer, FindingSerializer])
def test_fast_representation_equals_drf_generic_one(findings, serializer_class):
    for finding in findings:
        fast = serializer_class(finding).data
        # DRF's generic path over the same declared fields (skipping the fast to_representation overrides).
        generic = serializers.ModelSerializer.to_representation(serializer_class(finding), finding)
        assert fast == generic
        assert list(fast) == list(generic)  # same keys, same order


def test_teardown_lines_from_rows_equal_drf_generic_ones(findings):
    lines = finding_lines(Finding.objects.filter(pk__in=[f.pk for f in findings]).order_by("pk"))
    generic = [
        serializers.ModelSerializer.to_representation(FindingInItemSerializer(finding), finding)
        for finding in sorted(findings, key=lambda finding: finding.pk)
    ]
    assert lines == generic
    assert [list(line) for line in lines] == [list(line) for line in generic]


def test_finding_rows_equal_drf_generic_ones(findings):
    rows = Finding.objects.filter(pk__in=[f.pk for f in findings]).order_by("pk").values_list(*FINDING_ROW_COLUMNS)
    data = FindingSerializer(list(rows), many=True).data
    generic = [
        serializers.ModelSerializer.to_representation(FindingSerializer(finding), finding)
        for finding in sorted(findings, key=lambda finding: finding.pk)
    ]
    assert data == generic
    assert [list(row) for row in data] == [list(row) for row in generic]
