import { buildProgram } from "./program";
import { runCli } from "./run-cli";

await runCli(buildProgram(), process.argv);
