import type Handlebars from "handlebars";
import { lazyRequire } from "../lazy-require";

// Loaded on the first parse or render: a command that opens the container without touching a
// template (config show, jobs list) never loads Handlebars.
const handlebars = lazyRequire<typeof Handlebars>("handlebars");

/**
 * The Handlebars setup every prompt renders with: strict (a variable the context lacks is an error,
 * never an empty string), no HTML escaping (prompts are not HTML), and only the helpers below.
 */
export const templateHelpers = {
  /** `{{#if (eq purpose "code")}}` */
  eq: (left: unknown, right: unknown): boolean => left === right,
  /** `{{join files ", "}}` — a list input as one line. */
  join: (list: unknown, separator: unknown): string =>
    Array.isArray(list) ? list.map(String).join(typeof separator === "string" ? separator : ", ") : String(list ?? ""),
  /** `{{{{raw}}}}…{{{{/raw}}}}` — text that must never be read as a template (saved crafted prompts). */
  raw: (options: Handlebars.HelperOptions): string => options.fn(undefined),
} as const;

/** Helpers Handlebars itself provides (not `log`: it writes to stdout); with ours, all a template may call. */
export const builtInHelperNames = ["if", "unless", "each", "with", "lookup"] as const;
export const helperNames: ReadonlySet<string> = new Set([...builtInHelperNames, ...Object.keys(templateHelpers)]);

let environment: typeof Handlebars | undefined;

/** The grompt environment (only our helpers on top of Handlebars' own), created on first use. */
function gromptHandlebars(): typeof Handlebars {
  if (environment !== undefined) return environment;
  environment = handlebars().create();
  for (const [name, helper] of Object.entries(templateHelpers)) environment.registerHelper(name, helper as Handlebars.HelperDelegate);
  return environment;
}

const engine = {
  compile: (template: string, options: CompileOptions) => gromptHandlebars().compile(template, options),
  parse: (template: string) => gromptHandlebars().parse(template),
};

const compileOptions: CompileOptions = {
  strict: true,
  noEscape: true,
  knownHelpersOnly: true,
  knownHelpers: Object.fromEntries(Object.keys(templateHelpers).map((name) => [name, true])),
};

/**
 * Compiled templates by their text, least recently used dropped past the bound. Compiling costs
 * about a millisecond of parsing and code generation, while a daemon renders the same few registry
 * templates for every job; a compiled template is a pure function of its text and the options above.
 */
const compiled = new Map<string, HandlebarsTemplateDelegate>();
const compiledLimit = 256;

function compileTemplate(template: string): HandlebarsTemplateDelegate {
  let render = compiled.get(template);
  if (render !== undefined) {
    compiled.delete(template);
  } else {
    render = engine.compile(template, compileOptions);
    if (compiled.size >= compiledLimit) compiled.delete(compiled.keys().next().value as string);
  }
  compiled.set(template, render);
  return render;
}

/** Renders a template; throws Handlebars' own error when the template or context is wrong. */
export function renderTemplate(template: string, context: Record<string, unknown>): string {
  return compileTemplate(template)(context);
}

/** The template's syntax tree (throws on syntax errors). */
export const parseTemplate = (template: string): hbs.AST.Program => engine.parse(template);

/** Where the last syntax error happened (1-based), read from the shared lexer after `parse` throws. */
export function lastSyntaxErrorPosition(): { line: number; column: number } | undefined {
  // The parser is one module-level object shared by every Handlebars environment.
  const lexer = (handlebars() as unknown as { Parser?: { lexer?: { yylloc?: { first_line: number; first_column: number } } } }).Parser?.lexer;
  const location = lexer?.yylloc;
  return location === undefined ? undefined : { line: location.first_line, column: location.first_column + 1 };
}
