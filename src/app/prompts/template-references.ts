import { helperNames } from "./template-engine";
import type { SourcePosition } from "./yaml-source";

/** A top-level variable a template reads, with where (1-based, inside the template) it does. */
export interface TemplateVariable extends SourcePosition {
  name: string;
}

export interface TemplateReferences {
  variables: TemplateVariable[];
  /** Constructs the engine cannot run: unknown helpers, partials, decorators. */
  problems: (SourcePosition & { message: string })[];
}

/** Helpers whose block runs against another context (the item, the object). */
const contextShifting = new Set(["each", "with"]);

interface Scope {
  /** How many `each`/`with` blocks deep: paths at depth 0 there refer to the item, not the inputs. */
  shift: number;
  blockParams: ReadonlySet<string>;
}

/**
 * Every input a template reads — in mustaches, helper arguments, sub-expressions, hash values and
 * block conditions — found by walking Handlebars' syntax tree rather than by regex.
 */
export function findTemplateReferences(program: hbs.AST.Program): TemplateReferences {
  const found: TemplateReferences = { variables: [], problems: [] };
  const at = (node: hbs.AST.Node): SourcePosition => ({ line: node.loc.start.line, column: node.loc.start.column + 1 });

  const reference = (path: hbs.AST.PathExpression, scope: Scope): void => {
    if (path.data) {
      // @root.x is the top context whatever the nesting; @index, @key, @first, @last are loop data.
      if (path.parts[0] === "root" && path.parts[1] !== undefined) found.variables.push({ name: path.parts[1], ...at(path) });
      return;
    }
    const head = path.parts[0];
    if (head === undefined) return; // `this`
    if (path.depth === 0 && scope.blockParams.has(head)) return;
    if (scope.shift - path.depth === 0) found.variables.push({ name: head, ...at(path) });
  };

  const expression = (node: hbs.AST.Expression, scope: Scope): void => {
    if (node.type === "PathExpression") reference(node as hbs.AST.PathExpression, scope);
    else if (node.type === "SubExpression") call(node as hbs.AST.SubExpression, scope, true);
  };

  /** A mustache, block or sub-expression: a helper call, or a plain variable. */
  const call = (node: hbs.AST.MustacheStatement | hbs.AST.BlockStatement | hbs.AST.SubExpression, scope: Scope, isCall: boolean): void => {
    const path = node.path as hbs.AST.PathExpression | hbs.AST.Literal;
    const hasArguments = node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0;
    if (path.type === "PathExpression") {
      const name = (path as hbs.AST.PathExpression).original;
      if (isCall || hasArguments) {
        if (!helperNames.has(name)) found.problems.push({ ...at(path), message: `unknown helper \`${name}\`; available: ${[...helperNames].join(", ")}` });
      } else if (!helperNames.has(name)) {
        reference(path as hbs.AST.PathExpression, scope);
      }
    }
    for (const param of node.params) expression(param, scope);
    for (const pair of node.hash?.pairs ?? []) expression(pair.value, scope);
  };

  const statements = (program: hbs.AST.Program | undefined, scope: Scope): void => {
    for (const statement of program?.body ?? []) {
      switch (statement.type) {
        case "MustacheStatement":
          call(statement as hbs.AST.MustacheStatement, scope, false);
          break;
        case "BlockStatement": {
          const block = statement as hbs.AST.BlockStatement;
          call(block, scope, true);
          const shifts = contextShifting.has(block.path.original);
          const params = block.program?.blockParams ?? [];
          statements(block.program, {
            shift: shifts ? scope.shift + 1 : scope.shift,
            blockParams: new Set([...scope.blockParams, ...params]),
          });
          // `{{else}}` of an each/with runs in the outer context.
          statements(block.inverse, scope);
          break;
        }
        case "PartialStatement":
        case "PartialBlockStatement":
          found.problems.push({ ...at(statement), message: "partials (`{{> name}}`) are not supported in prompt templates" });
          break;
        case "Decorator":
        case "DecoratorBlock":
          found.problems.push({ ...at(statement), message: "decorators (`{{* name}}`) are not supported in prompt templates" });
          break;
        default:
          break; // content and comments
      }
    }
  };

  statements(program, { shift: 0, blockParams: new Set() });
  return found;
}
