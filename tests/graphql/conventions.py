"""Walks a GraphQL schema for what docs/api.md promises, one finding per line."""

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
)


def own_types(schema: GraphQLSchema):
    """The schema's named types, without introspection's and the built-in scalars."""
    builtin = {"String", "Int", "Float", "Boolean", "ID"}
    for name, type_ in sorted(schema.type_map.items()):
        if not name.startswith("__") and name not in builtin:
            yield name, type_


def undocumented(schema: GraphQLSchema) -> list[str]:
    """Every type, field, argument, enum value and input field without a description, as
    `Type`, `Type.field`, `Type.field(argument:)` or `Enum.VALUE`."""
    missing = []
    for name, type_ in own_types(schema):
        if not (type_.description or "").strip():
            missing.append(name)
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in type_.fields.items():
                if not (field.description or "").strip():
                    missing.append(f"{name}.{field_name}")
                for arg_name, arg in field.args.items():
                    if not (arg.description or "").strip():
                        missing.append(f"{name}.{field_name}({arg_name}:)")
        elif isinstance(type_, GraphQLInputObjectType):
            for field_name, field in type_.fields.items():
                if not (field.description or "").strip():
                    missing.append(f"{name}.{field_name}")
        elif isinstance(type_, GraphQLEnumType):
            for value_name, value in type_.values.items():
                if not (value.description or "").strip():
                    missing.append(f"{name}.{value_name}")
    return missing


def unwrap(type_):
    while hasattr(type_, "of_type"):
        type_ = type_.of_type
    return type_


def fields_of(schema: GraphQLSchema):
    """(type name, field name, field) of every object and interface field."""
    for name, type_ in own_types(schema):
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in type_.fields.items():
                yield name, field_name, field


def inputs_of(schema: GraphQLSchema):
    """(where, name, type) of every argument and input field."""
    for name, field_name, field in fields_of(schema):
        for arg_name, arg in field.args.items():
            yield f"{name}.{field_name}", arg_name, arg.type
    for name, type_ in own_types(schema):
        if isinstance(type_, GraphQLInputObjectType):
            for field_name, field in type_.fields.items():
                yield name, field_name, field.type
