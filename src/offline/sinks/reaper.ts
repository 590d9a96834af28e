import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';

/**
 * The reaper's script (POSIX sh). It reads `+PID` / `-PID` lines (a handler's process group started /
 * ended) and `@PATH` (the drain's scratch folder, named before it is made) until its stdin closes,
 * which happens when the drain ends or dies (SIGKILL included: the OS closes the drain's end of the
 * pipe). Then it removes the scratch folder and stops the groups still listed: SIGTERM, and SIGKILL
 * two seconds later. `kill -TERM -PID` is the form dash, bash and zsh all take for a group.
 */
const SCRIPT = `dir=
live=' '
while IFS= read -r line; do
  case $line in
    @*) dir=\${line#@} ;;
    +*) live="$live\${line#+} " ;;
    -*) p=\${line#-}; case $live in *" $p "*) live="\${live%%" $p "*} \${live#*" $p "}" ;; esac ;;
  esac
done
if [ -n "$dir" ]; then rm -rf "$dir"; fi
[ "$live" = ' ' ] && exit 0
for p in $live; do kill -TERM "-$p" 2>/dev/null; done
sleep 2
for p in $live; do kill -KILL "-$p" 2>/dev/null; done`;

/**
 * What a handler's shell runs first: wait for the drain's word on fd 3 (written once the reaper knows
 * the handler's group), then become `/bin/sh -c CMD` (same pid, as a plain spawn would run it). A
 * drain killed before its word leaves the handler nothing to read: it exits without running CMD.
 */
const GUARD = 'IFS= read -r go <&3 || exit 125; exec 3<&-; exec /bin/sh -c "$1"';

export interface HandlerSpawn {
  /** a descriptor holding the event (--exec), or a pipe (--pipe) */
  stdin: number | 'pipe';
  env: NodeJS.ProcessEnv;
}

/**
 * Handlers (--exec, --pipe) run in process groups of their own, so that a Ctrl-C at the terminal lets
 * the event in hand finish. A drain killed with SIGKILL gets no chance to stop them, so one small
 * shell per drain, in a group of its own too, is told each handler's group as it starts and ends and
 * stops those still running once the drain is gone (see SCRIPT); a handler runs its command only
 * after the reaper was told (see GUARD). Where there is no POSIX shell (Windows) there is no reaper:
 * handlers may outlive a killed drain there.
 */
export class Reaper {
  private child: ChildProcess | undefined;
  private exited: Promise<void> | undefined;
  private readonly unavailable = process.platform === 'win32';

  private scratch: string | undefined;

  /** Starts `command` via the shell in a process group of its own, watched by the reaper. */
  spawn(command: string, options: HandlerSpawn): ChildProcess {
    if (this.unavailable) return spawn(command, { shell: true, detached: true, stdio: [options.stdin, 'pipe', 'pipe'], env: options.env });
    this.child ??= this.start();
    const child = spawn('/bin/sh', ['-c', GUARD, 'sh', command], { detached: true, stdio: [options.stdin, 'pipe', 'pipe', 'pipe'], env: options.env });
    const pid = child.pid;
    const word = child.stdio[3] as Writable | null;
    word?.on('error', () => {}); // a handler that failed to start is reported through 'error'
    const go = () => word?.end('go\n');
    // one short write each: the pipe takes it whole (below PIPE_BUF), so a dying drain never leaves half a
    // line; the word follows once the line is with the reaper (or the reaper is gone: then as before)
    if (pid && this.child.stdin) this.child.stdin.write(`+${pid}\n`, go);
    else go();
    child.once('close', () => {
      if (pid) this.child?.stdin?.write(`-${pid}\n`); // the group ended: its pid may be reused from now on
    });
    return child;
  }

  /**
   * A 0700 folder of the drain's (the event files of --exec), made once the reaper knows its name, so
   * that it is removed even when the drain is killed the moment after making it.
   */
  scratchFolder(): string {
    if (this.scratch) return this.scratch;
    const path = join(tmpdir(), `b24-events-exec-${randomBytes(6).toString('hex')}`);
    if (!this.unavailable) (this.child ??= this.start()).stdin?.write(`@${path}\n`);
    mkdirSync(path, { mode: 0o700 });
    this.scratch = path;
    return path;
  }

  /** The drain is done with its handlers: the reaper removes the scratch folder and exits. */
  async close(): Promise<void> {
    // held again while it finishes: an unreferenced child alone would let the process exit under us
    this.child?.ref();
    this.child?.stdin?.end();
    await this.exited;
  }

  private start(): ChildProcess {
    const child = spawn('/bin/sh', ['-c', SCRIPT, 'b24-events-reaper'], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    child.stdin?.on('error', () => {}); // a reaper that died: handlers are stopped by the drain as before
    this.exited = new Promise((resolve) => child.on('close', () => resolve()).on('error', () => resolve()));
    child.unref();
    return child;
  }
}
