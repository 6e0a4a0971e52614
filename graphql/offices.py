"""Offices: the current office, its parent chain and its children."""

import graphene

from xinfang.tenants.models import Office


class OfficeLevel(graphene.Enum):
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"


class OfficeType(graphene.ObjectType):
    code = graphene.String(required=True, description="GB/T 2260 division code")
    name = graphene.String(required=True)
    level = graphene.Field(OfficeLevel, required=True)
    host = graphene.String(description="Primary host name the office answers on")

    @staticmethod
    def resolve_host(office: Office, info):
        return office.primary_host()


class CurrentOfficeType(OfficeType):
    parent_chain = graphene.List(
        graphene.NonNull(OfficeType), required=True, description="Ancestors, nearest first"
    )
    children = graphene.List(graphene.NonNull(OfficeType), required=True)

    @staticmethod
    def resolve_parent_chain(office: Office, info):
        return office.parent_chain()

    @staticmethod
    def resolve_children(office: Office, info):
        return office.children.offices().order_by("code").prefetch_related("domains")


class Query(graphene.ObjectType):
    current_office = graphene.Field(
        CurrentOfficeType, required=True, description="The office this host belongs to"
    )

    @staticmethod
    def resolve_current_office(root, info):
        return info.context.tenant


class PublicQuery(graphene.ObjectType):
    offices = graphene.List(
        graphene.NonNull(OfficeType), required=True, description="Every petition office"
    )

    @staticmethod
    def resolve_offices(root, info):
        return Office.objects.offices().order_by("code").prefetch_related("domains")
