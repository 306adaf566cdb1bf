// @ts-check
/**
 * Positions are opaque outside the adapters (issue 17): on EventStoreDB a position is a byte
 * offset in the transaction log, so subtracting, adding or counting with positions is wrong
 * there even when it happens to work on SQLite. The `Position` type (an object type) already
 * makes `-`, `+` and `Math.max` on positions compile errors; this rule refuses what the type
 * alone cannot: relational operators (`<`, `>=`: TypeScript allows them on objects), unary
 * `+`/`-`, `Number()`/`String()`/`Math.*` and template literals on a position, casts to or from
 * `Position`, and arithmetic on `positionToJson(...)` (the wire integer is not a count either).
 * Compare with `comparePositions`/`isAfter`/`isAtOrAfter`; count with `countBetween`.
 */

const ARITHMETIC = new Set(['-', '+', '*', '/', '%', '**', '|', '&', '^', '<<', '>>', '>>>']);
const RELATIONAL = new Set(['<', '>', '<=', '>=']);
const CONVERSIONS = new Set(['Number', 'String', 'BigInt', 'parseInt', 'parseFloat']);

/** @type {import('eslint').Rule.RuleModule} */
export const noPositionArithmetic = {
  meta: {
    type: 'problem',
    docs: { description: 'Positions are compared through the port, never computed with' },
    schema: [],
    messages: {
      operator:
        "'{{operator}}' on a position: positions are opaque (byte offsets on EventStoreDB); compare them with comparePositions/isAfter, count with countBetween.",
      conversion:
        '{{callee}}() of a position: convert with positionToJson at the wire only, never to compute with.',
      template: 'A position in a template literal: use positionToJson(position) for the wire.',
      cast: 'A cast to or from Position: build positions with positionFromJson, read them with positionToJson.',
      wire: "'{{operator}}' on positionToJson(...): the wire integer of a position is not a count.",
    },
  },
  create(context) {
    const services = context.sourceCode.parserServices;
    if (!services?.program || !services.esTreeNodeToTSNodeMap) return {};
    const checker = services.program.getTypeChecker();

    /** @param {any} type */
    const isPositionType = (type) => {
      if (type.isUnion?.()) return type.types.some(isPositionType);
      const symbol = type.getSymbol?.() ?? type.aliasSymbol;
      if (symbol?.getName() !== 'Position') return false;
      return (symbol.getDeclarations() ?? []).some((/** @type {any} */ d) =>
        d.getSourceFile().fileName.endsWith('event-store.port.ts'),
      );
    };
    /** @param {any} node */
    const isPosition = (node) =>
      isPositionType(checker.getTypeAtLocation(services.esTreeNodeToTSNodeMap.get(node)));
    /** A call of the port's positionToJson, under whatever name it was imported. */
    /** @param {any} node */
    const isWireCall = (node) => {
      if (node.type !== 'CallExpression') return false;
      let symbol = checker.getSymbolAtLocation(services.esTreeNodeToTSNodeMap.get(node.callee));
      // An import alias (`positionToJson as toJson`) resolves to the port's function.
      if (symbol && symbol.flags & 2097152 /* ts.SymbolFlags.Alias */)
        symbol = checker.getAliasedSymbol(symbol);
      return symbol?.getName() === 'positionToJson';
    };

    return {
      BinaryExpression(node) {
        const { operator } = node;
        if (!ARITHMETIC.has(operator) && !RELATIONAL.has(operator)) return;
        if (isPosition(node.left) || isPosition(node.right)) {
          context.report({ node, messageId: 'operator', data: { operator } });
        } else if (isWireCall(node.left) || isWireCall(node.right)) {
          context.report({ node, messageId: 'wire', data: { operator } });
        }
      },
      AssignmentExpression(node) {
        if (node.operator === '=') return;
        if (isPosition(node.left) || isPosition(node.right))
          context.report({ node, messageId: 'operator', data: { operator: node.operator } });
      },
      UnaryExpression(node) {
        if (['+', '-', '~'].includes(node.operator) && isPosition(node.argument))
          context.report({ node, messageId: 'operator', data: { operator: node.operator } });
      },
      UpdateExpression(node) {
        if (isPosition(node.argument))
          context.report({ node, messageId: 'operator', data: { operator: node.operator } });
      },
      CallExpression(node) {
        const { callee } = node;
        const name =
          callee.type === 'Identifier'
            ? callee.name
            : callee.type === 'MemberExpression' &&
                callee.object.type === 'Identifier' &&
                callee.object.name === 'Math'
              ? 'Math.' + (callee.property.type === 'Identifier' ? callee.property.name : '?')
              : undefined;
        if (name === undefined || (!CONVERSIONS.has(name) && !name.startsWith('Math.'))) return;
        if (node.arguments.some(isPosition))
          context.report({ node, messageId: 'conversion', data: { callee: name } });
      },
      TemplateLiteral(node) {
        if (node.expressions.some(isPosition)) context.report({ node, messageId: 'template' });
      },
      /** @param {any} node */
      'TSAsExpression, TSTypeAssertion'(node) {
        if (isPosition(node.expression) || isPosition(node))
          context.report({ node, messageId: 'cast' });
      },
    };
  },
};
