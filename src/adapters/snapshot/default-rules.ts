/**
 * What a snapshot leaves out before anyone asks: build output, dependencies, lockfiles, minified
 * bundles (gitignore syntax; a `.gromptignore` negation such as `!dist/` brings one back), files
 * that hold secrets by their very name, and file types that are binary.
 */
export const defaultExcludes: readonly string[] = [
  // dependencies and tool caches
  "node_modules/",
  "bower_components/",
  "jspm_packages/",
  ".pnp.*",
  ".yarn/cache/",
  ".venv/",
  "venv/",
  "__pycache__/",
  ".pytest_cache/",
  ".mypy_cache/",
  ".ruff_cache/",
  ".tox/",
  ".gradle/",
  ".terraform/",
  ".cache/",
  ".parcel-cache/",
  ".turbo/",
  // build output and coverage
  "dist/",
  "build/",
  ".next/",
  ".nuxt/",
  ".svelte-kit/",
  ".output/",
  "coverage/",
  ".nyc_output/",
  // lockfiles
  "package-lock.json",
  "npm-shrinkwrap.json",
  "yarn.lock",
  "pnpm-lock.yaml",
  "bun.lock",
  "bun.lockb",
  "Cargo.lock",
  "Gemfile.lock",
  "composer.lock",
  "poetry.lock",
  "Pipfile.lock",
  "uv.lock",
  "go.sum",
  "mix.lock",
  "pubspec.lock",
  "packages.lock.json",
  "gradle.lockfile",
  "Package.resolved",
  "Podfile.lock",
  "flake.lock",
  // minified bundles and source maps
  "*.min.js",
  "*.min.mjs",
  "*.min.cjs",
  "*.min.css",
  "*.map",
  // operating system litter
  ".DS_Store",
  "Thumbs.db",
];

/**
 * Files whose name says they hold credentials. Always left out: content scanning cannot vouch for
 * a private key or a `.env`. Example env files (`.env.example`, `.env.sample`, `.env.template`)
 * are meant to be shared and are content-scanned like any other file. Matched against a file's
 * name (or its last two segments), never against directories, so `src/credentials/` stays in.
 */
const secretFileNames = [
  /^\.env$/,
  /^\.env\.(?!(?:example|sample|template)$).+$/,
  /\.(?:pem|key|p12|pfx|jks|keystore|ppk|kdbx|tfstate|tfstate\.backup)$/i,
  /^id_(?:rsa|dsa|ecdsa|ed25519|ecdsa_sk|ed25519_sk)$/,
  /^(?:\.netrc|_netrc|\.pgpass|\.git-credentials|\.htpasswd|\.pypirc|\.dockercfg)$/,
  /^(?:credentials|credentials\.json|secrets\.(?:json|ya?ml|toml))$/,
  /^(?:client_secret|service-account).*\.json$/,
];
const secretFileSuffixes = [".docker/config.json", ".aws/credentials"];

export function isSecretFileName(path: string): boolean {
  const name = path.slice(path.lastIndexOf("/") + 1);
  if (secretFileNames.some((pattern) => pattern.test(name))) return true;
  return secretFileSuffixes.some((suffix) => path === suffix || path.endsWith(`/${suffix}`));
}

/** Extensions (lower case, no dot) of formats that are binary; such files are never read. */
export const binaryExtensions: ReadonlySet<string> = new Set(
  (
    "png jpg jpeg gif bmp ico icns webp avif tif tiff psd heic heif raw cr2 nef " +
    "mp3 mp4 m4a m4v wav ogg oga flac aac webm mov avi mkv wmv flv " +
    "pdf doc docx xls xlsx ppt pptx odt ods odp epub " +
    "zip gz tgz bz2 xz zst 7z rar tar jar war ear apk aab ipa dmg iso img deb rpm msi " +
    "woff woff2 ttf otf eot " +
    "exe dll so dylib a o obj lib class pyc pyo pyd wasm node bin " +
    "db sqlite sqlite3 mdb " +
    "blend fbx glb gltf-binary stl ai sketch fig xcf"
  ).split(" "),
);

/** Lower-case extension without the dot ("" when there is none). */
export function extensionOf(path: string): string {
  const base = path.slice(path.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  return dot <= 0 ? "" : base.slice(dot + 1).toLowerCase();
}
