import { buildProgram } from "./program";
import { quietOnClosedPipe } from "./quiet-closed-pipe";
import { runCli } from "./run-cli";

quietOnClosedPipe();
await runCli(buildProgram(), process.argv);
