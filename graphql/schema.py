"""The GraphQL schemas: one for office hosts (joins the domain modules), one for the public host."""

import graphene

from xinfang.graphql import accounts, cases, exchange, offices, resolution, search, supervision


class Query(
    cases.Query,
    accounts.Query,
    offices.Query,
    exchange.Query,
    supervision.Query,
    search.Query,
    graphene.ObjectType,
):
    pass


class Mutation(
    cases.Mutation,
    accounts.Mutation,
    exchange.Mutation,
    supervision.Mutation,
    search.Mutation,
    resolution.Mutation,
    graphene.ObjectType,
):
    pass


class PublicQuery(offices.PublicQuery, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
public_schema = graphene.Schema(query=PublicQuery)
