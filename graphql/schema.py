"""The GraphQL schemas: one for office hosts (joins the domain modules), one for the public host."""

import graphene

from xinfang.graphql import offices


class Query(offices.Query, graphene.ObjectType):
    pass


class PublicQuery(offices.PublicQuery, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query)
public_schema = graphene.Schema(query=PublicQuery)
