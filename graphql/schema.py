"""The GraphQL schemas: one for office hosts (joins the domain modules), one for the public host."""

import graphene

from xinfang.graphql import (
    accounts,
    cases,
    configuration,
    exchange,
    notices,
    offices,
    publicsite,
    resolution,
    search,
    supervision,
)
from xinfang.graphql.enums import ErrorCodeEnum


class Query(
    cases.Query,
    accounts.Query,
    offices.Query,
    exchange.Query,
    supervision.Query,
    search.Query,
    resolution.Query,
    notices.Query,
    publicsite.Query,
    configuration.Query,
    graphene.ObjectType,
):
    """What an office host answers: its petitions, handoffs, supervision, search and officers."""


class Mutation(
    cases.Mutation,
    accounts.Mutation,
    exchange.Mutation,
    supervision.Mutation,
    search.Mutation,
    resolution.Mutation,
    notices.Mutation,
    publicsite.Mutation,
    configuration.Mutation,
    graphene.ObjectType,
):
    """Every change, one domain step each; each returns a non-null payload or fails with a code."""


class PublicQuery(offices.PublicQuery, graphene.ObjectType):
    """What the public host answers: platform-level things only."""


# The error catalogue is published whole, whether or not a field returns it.
schema = graphene.Schema(query=Query, mutation=Mutation, types=[ErrorCodeEnum])
public_schema = graphene.Schema(query=PublicQuery)
