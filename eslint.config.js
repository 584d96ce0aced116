import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** A module-level constant declared as `Record<string, V>` (also Readonly/Partial) or `{ [key: string]: V }`. */
const MODULE_CONSTANT = ":matches(Program, ExportNamedDeclaration) > VariableDeclaration > VariableDeclarator > Identifier > TSTypeAnnotation";
const STRING_RECORD = "TSTypeReference[typeName.name='Record'][typeArguments.params.0.type='TSStringKeyword']";
const TABLE_SELECTORS = [
  `${MODULE_CONSTANT} > ${STRING_RECORD}`,
  `${MODULE_CONSTANT} > TSTypeReference[typeName.name=/^(Readonly|Partial)$/] > TSTypeParameterInstantiation > ${STRING_RECORD}`,
  `${MODULE_CONSTANT} > TSTypeLiteral > TSIndexSignature`,
];
const TABLE_MESSAGE =
  "A constant table keyed by strings: declare it as Table<V> = table({...}) (src/tables.ts), a ReadonlyMap, so that keys from input such as \"constructor\" or \"__proto__\" find nothing.";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**", "docs/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": "off",
    },
  },
  {
    // Text from a pull request reaches the runner's command channel through any log line:
    // the Action logs through src/action/log.ts only, the CLI writes through src/cli/run.ts only.
    files: ["src/**/*.ts"],
    ignores: ["src/action/log.ts", "src/cli/run.ts", "src/cli/main.ts"],
    rules: {
      "no-console": "error",
      "no-restricted-properties": [
        "error",
        ...["info", "warning", "error", "notice", "debug", "setFailed", "startGroup"].map((property) => ({
          object: "core",
          property,
          message: "Log through src/action/log.ts: it neutralises workflow commands in text from the pull request.",
        })),
        ...["stdout", "stderr"].map((property) => ({
          object: "process",
          property,
          message: "Write output through the front end's output layer (src/action/log.ts, src/cli/run.ts).",
        })),
      ],
    },
  },
  {
    // Lookup tables keyed by strings from input are Maps (src/tables.ts): a plain
    // object answers "constructor", "toString" or "__proto__" with Object.prototype.
    files: ["src/**/*.ts", "rules/**/*.ts"],
    // GLOBALS_SECTIONS (src/template) is only iterated, never indexed; it moves to table() with its owner's next change.
    ignores: ["src/template/globals.ts"],
    rules: {
      "no-restricted-syntax": ["error", ...TABLE_SELECTORS.map((selector) => ({ selector, message: TABLE_MESSAGE }))],
    },
  },
  {
    files: ["**/*.mjs", "**/*.js"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
);
