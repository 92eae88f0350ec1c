/** A tiny TypeScript project whose only check is tsc (this repository's, through a linked node_modules). */
export const pricingProject = {
  ".gitignore": "node_modules\n",
  "package.json": JSON.stringify({ name: "pricing", private: true, devDependencies: { typescript: "5.9.3" } }, null, 2),
  "tsconfig.json": JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: "ES2022", module: "ESNext", moduleResolution: "Bundler", types: [], skipLibCheck: true }, include: ["src"] }),
  "src/price.ts": "export function formatPrice(cents: number): string {\n  return `${(cents / 100).toFixed(2)} EUR`;\n}\n",
  "src/cart.ts": 'import { formatPrice } from "./price";\n\nexport const total = (items: number[]): string => formatPrice(items.reduce((a, b) => a + b, 0));\n',
};
