import { runCli } from "./run.js";

runCli(process.argv.slice(2), process.cwd()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`sam-fitness: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
