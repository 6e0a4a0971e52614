"""Offices: the current office with its parent chain and children; every office (public host)."""

import graphene

from xinfang.graphql.enums import OfficeLevelEnum
from xinfang.graphql.loaders import loaders
from xinfang.graphql.nodes import OfficeNode
from xinfang.graphql.pagination import connection, connection_field, keyset_page
from xinfang.tenants.divisions import divisions_in_province
from xinfang.tenants.models import Office


class OfficeType(graphene.ObjectType):
    """信访部门: a petition office, one tenant, addressed by its division code."""

    class Meta:
        name = "Office"
        interfaces = (OfficeNode,)
        possible_types = (Office,)

    code = graphene.String(required=True, description="GB/T 2260 division code, e.g. 330106.")
    name = graphene.String(required=True, description="The office's name, e.g. 西湖区信访局.")
    level = graphene.Field(OfficeLevelEnum, required=True, description="Province, city or county.")
    host = graphene.String(description="The primary host name the office answers on.")
    parent_chain = graphene.List(
        graphene.NonNull(lambda: OfficeType),
        required=True,
        description="Its ancestors, nearest first.",
    )
    children = graphene.List(
        graphene.NonNull(lambda: OfficeType),
        required=True,
        description="The offices directly below it, by code (bounded by the divisions).",
    )

    @staticmethod
    def resolve_id(office: Office, info):
        return office.code

    @staticmethod
    def resolve_host(office: Office, info):
        if "domains" in getattr(office, "_prefetched_objects_cache", {}):
            return office.primary_host()
        return loaders(info).office_host.load(office.pk)

    @staticmethod
    def resolve_parent_chain(office: Office, info):
        return loaders(info).parent_chain.load(tuple(office.ancestor_codes))

    @staticmethod
    def resolve_children(office: Office, info):
        return loaders(info).children.load(office.pk)

    @classmethod
    def get_node(cls, info, code):
        return Office.objects.offices().filter(code=code).first()


def office_by_code(info, code: str):
    """An office named by code in a search document or an alert, loaded in one batch per level."""
    return loaders(info).office_by_code.load(code)


OfficeConnection = connection(OfficeType, description="A page of offices, by division code.")


class DivisionType(graphene.ObjectType):
    class Meta:
        name = "Division"
        description = "An administrative division (GB/T 2260): where a petition's problem is."

    code = graphene.String(required=True, description="GB/T 2260 division code, e.g. 330106.")
    name = graphene.String(required=True, description="its name, e.g. 西湖区")


class Query(graphene.ObjectType):
    current_office = graphene.Field(
        OfficeType, required=True, description="The office this host belongs to."
    )
    divisions = graphene.List(
        graphene.NonNull(DivisionType),
        required=True,
        description="The divisions of this office's province, the province first: the places "
        "(问题发生地, placeCode) a registration names.",
    )

    @staticmethod
    def resolve_current_office(root, info):
        return info.context.tenant

    @staticmethod
    def resolve_divisions(root, info):
        return [
            DivisionType(code=code, name=name)
            for code, name in divisions_in_province(info.context.tenant.province_code)
        ]


class PublicQuery(graphene.ObjectType):
    offices = connection_field(OfficeConnection, "Every petition office, by division code.")

    @staticmethod
    def resolve_offices(root, info, **page):
        offices = Office.objects.offices().prefetch_related("domains")
        return keyset_page(offices, key=("code",), **page)
