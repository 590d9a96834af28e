/**
 * Completion scripts: each asks `b24-events __complete -- WORDS…` (the command line so far, the word
 * being completed last) and offers its answer, one candidate a line; `:files` means "file names".
 * The command tree therefore lives in one place, the CLI itself.
 */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

const bash = `# b24-events completion for bash. Load it with:
#   eval "$(b24-events completion bash)"            # in ~/.bashrc
#   b24-events completion bash > ~/.local/share/bash-completion/completions/b24-events
_b24_events() {
  local IFS=$'\\n' cur="\${COMP_WORDS[COMP_CWORD]}" out
  out=$("\${COMP_WORDS[0]}" __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null) || return 0
  if [[ "$out" == ":files" ]]; then
    compopt -o filenames 2>/dev/null
    COMPREPLY=($(compgen -f -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$out" -- "$cur"))
  fi
}
complete -F _b24_events b24-events
`;

const zsh = `#compdef b24-events
# b24-events completion for zsh. Load it with:
#   eval "$(b24-events completion zsh)"             # in ~/.zshrc, after compinit
#   b24-events completion zsh > "\${fpath[1]}/_b24-events"
_b24_events() {
  local out
  out=$("\${words[1]}" __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null) || return 1
  if [[ "$out" == ":files" ]]; then
    _files
  else
    local -a candidates
    candidates=("\${(@f)out}")
    compadd -- "\${candidates[@]}"
  fi
}
compdef _b24_events b24-events
`;

const fish = `# b24-events completion for fish. Load it with:
#   b24-events completion fish | source             # in ~/.config/fish/config.fish
#   b24-events completion fish > ~/.config/fish/completions/b24-events.fish
function __b24_events_complete
    set -l words (commandline -opc) (commandline -ct)
    set -l out ($words[1] __complete -- $words[2..-1] 2>/dev/null)
    if test "$out" = ":files"
        __fish_complete_path (commandline -ct)
    else
        printf '%s\\n' $out
    end
end
complete -c b24-events -f -a '(__b24_events_complete)'
`;

export const scripts: Record<Shell, string> = { bash, zsh, fish };
