import { runCli, writeErr } from "./run.js";

// A reader that stops early (`sam-fitness graph ... | head`) closes the pipe: that is not an error of ours.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

runCli(process.argv.slice(2), process.cwd()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    writeErr(`sam-fitness: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
