/**
 * `npm start` runs the server as a child of scripts/start.mjs. A SIGTERM or Ctrl-C reaches it
 * through start.mjs, but a SIGKILL (an OOM killer, `kill -9`, a supervisor giving up) ends
 * start.mjs alone and would leave the server serving, orphaned, holding the port. start.mjs
 * therefore hands its child one end of a pipe (the fd named by FANFOLD_PARENT_FD): the pipe
 * reaches end-of-file when start.mjs is gone, however it ended, and the server then stops
 * as on SIGTERM.
 */
import { Socket } from "node:net";

/** Only the process start.mjs started is given the fd; the workers it forks don't watch. */
export function stopWhenParentGoes(fd: number | undefined): void {
  if (fd === undefined) return;
  let pipe: Socket;
  try {
    pipe = new Socket({ fd, readable: true, writable: false });
  } catch {
    return; // not an open pipe: started some other way
  }
  const gone = () => {
    pipe.destroy();
    process.kill(process.pid, "SIGTERM");
  };
  pipe.once("end", gone);
  pipe.once("error", gone);
  pipe.resume(); // start.mjs never writes; reading is how the end is seen
  pipe.unref(); // the watch alone must not keep the server alive
}
