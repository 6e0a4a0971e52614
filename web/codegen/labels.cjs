// GraphQL Code Generator plugin: the Chinese names of the schema's enum values, from their
// descriptions ("已受理 accepted"; error codes: "the petition changed … (信访件已被他人修改…)").
// The server's catalogues (platform/errors.py, the models' choices) are the one source; screens
// read LABELS and ERROR_MESSAGES from src/graphql/labels.ts and never keep their own copies.
const { isEnumType } = require('graphql');

const CJK = /[\u3400-\u9fff]/;

/** The Chinese phrase of a description: the text in its last parentheses, or its leading word. */
function chinese(description) {
  if (!description || !CJK.test(description)) return undefined;
  const bracketed = description.match(/\(([^()]*[\u3400-\u9fff][^()]*)\)\s*$/);
  if (bracketed) return bracketed[1].trim();
  const leading = description.match(/^(\S*[\u3400-\u9fff]\S*)/);
  return leading ? leading[1] : undefined;
}

module.exports = {
  plugin(schema) {
    const labels = {};
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isEnumType(type) || type.name.startsWith('__')) continue;
      const values = {};
      for (const value of type.getValues()) {
        const phrase = chinese(value.description);
        if (phrase) values[value.name] = phrase;
      }
      if (Object.keys(values).length) labels[type.name] = values;
    }
    const errors = labels.ErrorCode ?? {};
    delete labels.ErrorCode;
    return [
      '// Generated from graphql/schema.graphql by codegen/labels.cjs: never edit.',
      `export const LABELS = ${JSON.stringify(labels, null, 2)} as const;`,
      '',
      `export const ERROR_MESSAGES: Record<string, string> = ${JSON.stringify(errors, null, 2)};`,
      '',
    ].join('\n');
  },
};
