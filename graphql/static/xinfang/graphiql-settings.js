// graphene-django's graphiql.js reads its settings from here (a file, not an inline script, so
// the Content-Security-Policy needs no 'unsafe-inline' for scripts).
window.GRAPHENE_SETTINGS = {
  graphiqlHeaderEditorEnabled: true,
  graphiqlShouldPersistHeaders: false,
  graphiqlInputValueDeprecation: false,
};
