package berth.cli;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import berth.kernel.model.NetworkDefinition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code berth completion bash|zsh|fish}: completion scripts generated from the command model
 * ({@link Commands}, {@link Main#GLOBAL}), so that they cannot drift from the parser. At completion
 * time the scripts call {@code berth [global flags] __complete containers|networks} for names. Only
 * the completion commands load this class.
 */
final class Completion {
    /** The hidden command the scripts call for container and network names. */
    static final String HELPER = "__complete";
    static final List<String> SHELLS = List.of("bash", "zsh", "fish");

    private static final Pattern CHOICES = Pattern.compile("(?<![\\w-])([a-z]+(?:\\|[a-z]+)+)(?![\\w-])");

    private Completion() {
    }

    /** A command of the model: its path ("run", "network create"), and the subcommands of a group. */
    static final class Node {
        final String path;
        final Cmd cmd;
        final List<Cmd> subs;

        Node(String path, Cmd cmd, List<Cmd> subs) {
            this.path = path;
            this.cmd = cmd;
            this.subs = subs;
        }
    }

    /** Every visible command and group subcommand, in help order. */
    static List<Node> model() {
        List<Node> l = new ArrayList<>();
        for (Cmd c : Commands.all()) {
            if (c.hidden()) {
                continue;
            }
            List<Cmd> subs = Commands.group(c.name());
            l.add(new Node(c.name(), c, subs));
            if (subs != null) {
                for (Cmd s : subs) {
                    if (!s.hidden()) {
                        l.add(new Node(c.name() + " " + s.name(), s, null));
                    }
                }
            }
        }
        return l;
    }

    // ------------------------------------------------------------------ commands

    static int command(Args a) {
        String shell = a.positional().get(0);
        String script = script(shell);
        String file = a.get("file");
        if (file == null) {
            System.out.print(script);
            return 0;
        }
        try {
            Files.writeString(Path.of(file), script, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "cannot write " + file + ": " + e.getMessage());
        }
        return 0;
    }

    static String script(String shell) {
        switch (shell) {
            case "bash":
                return bash();
            case "zsh":
                return zsh();
            case "fish":
                return fish();
            default:
                throw Args.usage("berth completion", "unknown shell \"" + shell + "\": give bash, zsh or fish");
        }
    }

    /** {@code __complete containers [STATUS]} or {@code __complete networks}: names, one a line; silent on error. */
    static int helper(Context ctx, Args a) {
        StringBuilder out = new StringBuilder();
        try {
            List<String> pos = a.positional();
            if (pos.get(0).equals("containers")) {
                String status = pos.size() > 1 ? pos.get(1) : null;
                for (Container c : ctx.engine().containers()) {
                    if (status == null || c.status().display().equals(status)) {
                        out.append(c.name()).append('\n');
                    }
                }
            } else if (pos.get(0).equals("networks")) {
                for (NetworkDefinition d : ctx.engine().networks()) {
                    out.append(d.name()).append('\n');
                }
            }
        } catch (RuntimeException e) {
            return 1;
        }
        System.out.print(out);
        return 0;
    }

    // ------------------------------------------------------------------ what a flag or argument takes

    /**
     * What completes a flag's value: {@code @dirs}, {@code @files}, {@code @containers},
     * {@code @networks}, and literal words; empty when anything goes.
     */
    static String valueKinds(Opt o) {
        List<String> n = o.names();
        if (n.contains("--root") || n.contains("--runroot") || n.contains("--hooks-dir")) {
            return "@dirs";
        }
        if (n.contains("--config") || n.contains("--file") || n.contains("--volume")) {
            return "@files";
        }
        if (n.contains("--network")) {
            return "@networks none host bridge slirp4netns pasta";
        }
        if (n.contains("--requires")) {
            return "@containers";
        }
        if (n.contains("--runtime")) {
            return "runc crun runsc";
        }
        if (n.contains("--db-backend") || n.contains("--to")) {
            return "file sqlite boltdb";
        }
        if (n.contains("--log-level")) {
            return "debug info warn error";
        }
        if (n.contains("--restart")) {
            return "no on-failure always unless-stopped";
        }
        if (n.contains("--log-driver")) {
            return "k8s-file none";
        }
        if (n.contains("--signal") || n.contains("--stop-signal")) {
            return "KILL TERM INT HUP QUIT USR1 USR2 STOP CONT WINCH";
        }
        return "";
    }

    /** What completes a command's positional arguments, from its usage: containers, networks, a directory, choices. */
    static String argKinds(Node node) {
        String u = node.cmd.usage();
        String name = node.cmd.name();
        if (u.contains("--rootfs DIR")) {
            return "@dirs";
        }
        if (u.contains("CONTAINER")) {
            switch (name) {
                case "stop":
                case "kill":
                case "pause":
                case "exec":
                case "attach":
                    return "@running";
                case "unpause":
                    return "@paused";
                default:
                    return "@containers";
            }
        }
        if (u.contains("NETWORK")) {
            return "@networks";
        }
        Matcher m = CHOICES.matcher(u);
        return m.find() ? m.group(1).replace('|', ' ') : "";
    }

    /** Whether every positional argument completes the same way (CONTAINER...), not only the first. */
    static boolean argMany(Node node) {
        String u = node.cmd.usage();
        return u.contains("CONTAINER...") || u.contains("NETWORK...");
    }

    // ------------------------------------------------------------------ the shared data (bash and zsh)

    private static String names(List<Opt> opts, boolean valuesOnly) {
        StringBuilder sb = new StringBuilder();
        for (Opt o : opts) {
            if (valuesOnly && !o.takesValue()) {
                continue;
            }
            for (String n : o.names()) {
                sb.append(sb.length() == 0 ? "" : " ").append(n);
            }
        }
        return sb.toString();
    }

    private static String q(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Functions valid in bash and in zsh: the model as case statements. */
    private static String data(StringBuilder sb) {
        List<Node> model = model();
        StringBuilder commands = new StringBuilder();
        for (Node n : model) {
            if (!n.path.contains(" ")) {
                commands.append(commands.length() == 0 ? "" : " ").append(n.path);
            }
        }
        sb.append("__berth_gflags=").append(q(names(Main.GLOBAL, false))).append('\n');
        sb.append("__berth_gvflags=").append(q(names(Main.GLOBAL, true))).append('\n');
        sb.append("__berth_commands=").append(q(commands.toString())).append("\n\n");
        sb.append("# __berth_spec PATH: the flags, value flags, arguments and subcommands of a command\n");
        sb.append("__berth_spec() {\n");
        sb.append("    flags= vflags= akinds= amany= subs= stop=\n");
        sb.append("    case \"$1\" in\n");
        for (Node n : model) {
            sb.append("    ").append(q(n.path)).append(")\n");
            sb.append("        flags=").append(q(names(n.cmd.opts(), false)));
            sb.append("; vflags=").append(q(names(n.cmd.opts(), true))).append('\n');
            if (n.subs != null) {
                StringBuilder subs = new StringBuilder();
                for (Cmd s : n.subs) {
                    if (!s.hidden()) {
                        subs.append(subs.length() == 0 ? "" : " ").append(s.name());
                    }
                }
                sb.append("        subs=").append(q(subs.toString())).append('\n');
            }
            sb.append("        akinds=").append(q(argKinds(n))).append("; amany=").append(argMany(n) ? 1 : 0);
            sb.append("; stop=").append(n.cmd.stopAtPositional() && n.subs == null ? 1 : "").append(" ;;\n");
        }
        sb.append("    *) return 1 ;;\n    esac\n}\n\n");
        sb.append("# __berth_values PATH FLAG: what completes the flag's value (PATH is empty for a global flag)\n");
        sb.append("__berth_values() {\n    case \"$1:$2\" in\n");
        Map<String, List<String>> byKinds = new LinkedHashMap<>();
        for (Opt o : Main.GLOBAL) {
            addValues(byKinds, "", o);
        }
        for (Node n : model) {
            for (Opt o : n.cmd.opts()) {
                addValues(byKinds, n.path, o);
            }
        }
        for (Map.Entry<String, List<String>> e : byKinds.entrySet()) {
            sb.append("    ").append(String.join("|", e.getValue())).append(") echo ").append(q(e.getKey())).append(" ;;\n");
        }
        sb.append("    esac\n}\n\n");
        return sb.toString();
    }

    private static void addValues(Map<String, List<String>> byKinds, String path, Opt o) {
        String kinds = valueKinds(o);
        if (!o.takesValue() || kinds.isEmpty()) {
            return;
        }
        for (String n : o.names()) {
            byKinds.computeIfAbsent(kinds, k -> new ArrayList<>()).add(q(path + ":" + n));
        }
    }

    /**
     * The walk over the command line, shared by bash and zsh (zsh runs it in ksh emulation): from
     * the words up to the cursor it finds the command path, the global flags to pass on, and what
     * the word at the cursor is. Sets {@code kinds} (what to offer) and {@code cur} (its prefix).
     */
    private static final String WALK = """
            # __berth_walk WORD...: the words up to the cursor (the last one is being completed); sets
            # kinds (what to offer: @dirs @files @containers @running @paused @networks or words),
            # cur (the typed prefix), and globals (the global flags to pass on to berth)
            __berth_walk() {
                [ -n "${ZSH_VERSION:-}" ] && emulate -L ksh
                local ws i=1 w path= npos=0 only= flags vflags akinds amany subs stop
                ws=("$@")
                local cword=$(( ${#ws[@]} - 1 ))
                cur=${ws[cword]} kinds= globals=()
                while (( i < cword )); do
                    w=${ws[i]}
                    [[ $w == -* ]] || break
                    if [[ $w == *=* ]]; then
                        [[ " $__berth_gvflags " == *" ${w%%=*} "* ]] && globals+=("$w")
                    elif [[ " $__berth_gvflags " == *" $w "* ]]; then
                        if (( i + 1 == cword )); then kinds=$(__berth_values "" "$w"); return; fi
                        globals+=("$w" "${ws[i+1]}")
                        (( i++ ))
                    fi
                    (( i++ ))
                done
                if (( i == cword )); then
                    if [[ $cur == -*=* ]]; then kinds=$(__berth_values "" "${cur%%=*}"); cur=${cur#*=}
                    elif [[ $cur == -* ]]; then kinds=$__berth_gflags
                    else kinds=$__berth_commands
                    fi
                    return
                fi
                path=${ws[i]}
                (( i++ ))
                __berth_spec "$path" || return
                if [[ -n $subs ]]; then
                    if (( i == cword )); then
                        if [[ $cur == -* ]]; then kinds=$flags; else kinds=$subs; fi
                        return
                    fi
                    path="$path ${ws[i]}"
                    (( i++ ))
                    __berth_spec "$path" || return
                fi
                while (( i < cword )); do
                    w=${ws[i]}
                    if [[ -z $only && $w == -- ]]; then
                        only=1
                    elif [[ -z $only && $w == -?* ]]; then
                        if [[ $w != *=* ]] && __berth_takes_value "$w"; then
                            if (( i + 1 == cword )); then
                                [[ $w == --* ]] || w=-${w:$(( ${#w} - 1 ))}
                                kinds=$(__berth_values "$path" "$w")
                                return
                            fi
                            (( i++ ))
                        fi
                    else
                        (( npos++ ))
                        [[ -n $stop ]] && only=1
                    fi
                    (( i++ ))
                done
                if [[ -z $only && $cur == --*=* ]]; then
                    kinds=$(__berth_values "$path" "${cur%%=*}"); cur=${cur#*=}
                elif [[ -z $only && $cur == -* ]]; then
                    kinds=$flags
                elif (( npos == 0 || amany )); then
                    kinds=$akinds
                fi
            }

            # __berth_takes_value FLAG: whether the next word is the flag's value (-it: the last letter's)
            __berth_takes_value() {
                local w=$1 j
                if [[ $w == --* ]]; then [[ " $vflags " == *" $w "* ]]; return; fi
                for (( j = 1; j < ${#w}; j++ )); do
                    if [[ " $vflags " == *" -${w:$j:1} "* ]]; then (( j == ${#w} - 1 )); return; fi
                done
                return 1
            }

            # __berth_list containers [STATUS] | networks: names from berth itself, with the global flags
            # typed on the command line (another --root lists other containers); silent on error
            __berth_list() {
                local cmd=${BERTH_COMPLETION_COMMAND:-$__berth_self}
                [[ $cmd == '~/'* ]] && cmd=$HOME/${cmd#'~/'}
                "$cmd" "${globals[@]}" __complete "$@" 2>/dev/null </dev/null
            }

            """;

    private static String header(String shell, String enable) {
        return "# " + shell + " completion for berth, generated by `berth completion " + shell + "` from berth's own\n"
                + "# command model (do not edit; regenerate it). Enable it with\n" + enable
                + "# Container and network names come from `berth [global flags] __complete ...`;\n"
                + "# BERTH_COMPLETION_COMMAND names another berth to ask.\n\n";
    }

    static String bash() {
        StringBuilder sb = new StringBuilder(header("bash",
                "#   source <(berth completion bash)    (in ~/.bashrc), or save it as\n"
                        + "#   /usr/share/bash-completion/completions/berth\n"));
        data(sb);
        sb.append(WALK);
        sb.append("""
                # __berth_reply: COMPREPLY from kinds and cur
                __berth_reply() {
                    local k words=
                    COMPREPLY=()
                    for k in $kinds; do
                        case $k in
                        @dirs) compopt -o filenames 2>/dev/null; COMPREPLY+=($(compgen -d -- "$cur")) ;;
                        @files) compopt -o filenames 2>/dev/null; COMPREPLY+=($(compgen -f -- "$cur")) ;;
                        @containers) words+=" $(__berth_list containers)" ;;
                        @running|@paused) words+=" $(__berth_list containers "${k#@}")" ;;
                        @networks) words+=" $(__berth_list networks)" ;;
                        *) words+=" $k" ;;
                        esac
                    done
                    [[ -n $words ]] && COMPREPLY+=($(compgen -W "$words" -- "$cur"))
                    return 0
                }

                _berth() {
                    local words=() w j kinds cur globals __berth_self=${COMP_WORDS[0]}
                    # bash splits --flag=value at '=': join them again
                    for (( j = 0; j <= COMP_CWORD; j++ )); do
                        w=${COMP_WORDS[j]}
                        if [[ $w == = && ${#words[@]} -gt 1 && ${words[${#words[@]}-1]} == -* && ${words[${#words[@]}-1]} != *=* ]]; then
                            words[${#words[@]}-1]+="="
                            if (( j < COMP_CWORD )); then
                                (( j++ ))
                                words[${#words[@]}-1]+=${COMP_WORDS[j]}
                            fi
                        else
                            words+=("$w")
                        fi
                    done
                    __berth_walk "${words[@]}"
                    __berth_reply
                }

                complete -F _berth berth
                """);
        return sb.toString();
    }

    static String zsh() {
        StringBuilder sb = new StringBuilder("#compdef berth\n");
        sb.append(header("zsh", "#   source <(berth completion zsh)    (in ~/.zshrc, after compinit), or save it as\n"
                + "#   _berth in a directory of $fpath\n"));
        data(sb);
        sb.append(WALK);
        sb.append("""
                _berth() {
                    local kinds cur k __berth_self=${words[1]}
                    local -a globals names
                    __berth_walk "${(@)words[1,CURRENT]}"
                    [[ $PREFIX == -*=* && $cur != -* ]] && compset -P '*='
                    for k in ${=kinds}; do
                        case $k in
                        @dirs) _path_files -/ ;;
                        @files) _files ;;
                        @containers) names+=(${(f)"$(__berth_list containers)"}) ;;
                        @running|@paused) names+=(${(f)"$(__berth_list containers ${k#@})"}) ;;
                        @networks) names+=(${(f)"$(__berth_list networks)"}) ;;
                        *) names+=($k) ;;
                        esac
                    done
                    (( ${#names} )) && compadd -- $names
                    return 0
                }

                if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
                    _berth "$@"
                else
                    compdef _berth berth
                fi
                """);
        return sb.toString();
    }

    // ------------------------------------------------------------------ fish

    private static String fishQ(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    static String fish() {
        List<Node> model = model();
        StringBuilder sb = new StringBuilder(header("fish", "#   berth completion fish | source    (in ~/.config/fish/config.fish), or save it as\n"
                + "#   ~/.config/fish/completions/berth.fish\n"));
        sb.append("set -g __berth_gvflags ").append(fishQ(names(Main.GLOBAL, true))).append("\n\n");
        sb.append("# __berth_vflags PATH: the value flags of a command\nfunction __berth_vflags\n    switch $argv[1]\n");
        for (Node n : model) {
            sb.append("        case ").append(fishQ(n.path)).append("\n            echo ").append(fishQ(names(n.cmd.opts(), true))).append('\n');
        }
        sb.append("    end\nend\n\n");
        sb.append("""
                # __berth_state: the command path (line 1), the number of positional arguments before the
                # cursor (line 2), then the global flags to pass on to berth
                function __berth_state
                    set -l words (commandline -opc)
                    set -l i 2
                    set -l n (count $words)
                    set -l globals
                    while test $i -le $n; and string match -q -- '-*' $words[$i]
                        if string match -q -- '*=*' $words[$i]
                            set -a globals $words[$i]
                        else if contains -- $words[$i] (string split ' ' -- $__berth_gvflags)
                            set -a globals $words[$i] $words[(math $i + 1)]
                            set i (math $i + 1)
                        end
                        set i (math $i + 1)
                    end
                    set -l path
                    if test $i -le $n
                        set path $words[$i]
                        set i (math $i + 1)
                        if contains -- $path container network system; and test $i -le $n
                            set path "$path $words[$i]"
                            set i (math $i + 1)
                        end
                    end
                    set -l vflags (string split ' ' -- (__berth_vflags $path))
                    set -l npos 0
                    while test $i -le $n
                        set -l w $words[$i]
                        if string match -q -- '--*' $w; and not string match -q -- '*=*' $w
                            contains -- $w $vflags; and set i (math $i + 1)
                        else if string match -qr -- '^-[^-]' $w
                            contains -- -(string sub -s -1 -- $w) $vflags; and set i (math $i + 1)
                        else if not string match -q -- '-*' $w
                            set npos (math $npos + 1)
                        end
                        set i (math $i + 1)
                    end
                    printf '%s\\n' "$path" $npos $globals
                end

                # __berth_at PATH [MANY]: whether the cursor is in that command (for an argument: MANY
                # allows every position, else the first only)
                function __berth_at
                    set -l s (__berth_state)
                    test "$s[1]" = "$argv[1]"; or return 1
                    test (count $argv) -lt 2; and return 0
                    test "$argv[2]" = 1; or test "$s[2]" = 0
                end

                # __berth_list containers [STATUS] | networks: names from berth itself, with the global flags
                function __berth_list
                    set -l s (__berth_state)
                    set -l cmd (commandline -opc)[1]
                    set -q BERTH_COMPLETION_COMMAND; and set cmd $BERTH_COMPLETION_COMMAND
                    $cmd $s[3..-1] __complete $argv 2>/dev/null </dev/null
                end

                complete -c berth -f
                """);
        for (Opt o : Main.GLOBAL) {
            sb.append("complete -c berth -n '__berth_at \"\"'").append(fishOpt(o)).append('\n');
        }
        for (Node n : model) {
            if (!n.path.contains(" ")) {
                sb.append("complete -c berth -n '__berth_at \"\"' -a ").append(fishQ(n.path)).append(" -d ")
                        .append(fishQ(n.cmd.description())).append('\n');
            }
        }
        for (Node n : model) {
            String at = "__berth_at " + fishQ(n.path).replace("'", "\"");
            if (n.subs != null) {
                for (Cmd s : n.subs) {
                    if (!s.hidden()) {
                        sb.append("complete -c berth -n ").append(fishQ(at)).append(" -a ").append(fishQ(s.name()))
                                .append(" -d ").append(fishQ(s.description())).append('\n');
                    }
                }
            }
            for (Opt o : n.cmd.opts()) {
                sb.append("complete -c berth -n ").append(fishQ(at)).append(fishOpt(o)).append('\n');
            }
            String kinds = argKinds(n);
            if (!kinds.isEmpty()) {
                sb.append("complete -c berth -n ").append(fishQ(at + " " + (argMany(n) ? 1 : 0))).append(fishArgs(kinds)).append('\n');
            }
        }
        return sb.toString();
    }

    private static String fishOpt(Opt o) {
        StringBuilder sb = new StringBuilder();
        for (String n : o.names()) {
            sb.append(n.startsWith("--") ? " -l " + n.substring(2) : " -s " + n.substring(1));
        }
        if (o.takesValue()) {
            sb.append(" -r");
            String kinds = valueKinds(o);
            if (!kinds.isEmpty()) {
                sb.append(fishArgs(kinds));
            }
        }
        return sb.append(" -d ").append(fishQ(o.help())).toString();
    }

    private static String fishArgs(String kinds) {
        StringBuilder words = new StringBuilder();
        boolean files = false;
        for (String k : kinds.split(" ")) {
            switch (k) {
                case "@dirs":
                    words.append(" (__fish_complete_directories (commandline -ct) '')");
                    break;
                case "@files":
                    files = true;
                    break;
                case "@containers":
                    words.append(" (__berth_list containers)");
                    break;
                case "@running":
                case "@paused":
                    words.append(" (__berth_list containers ").append(k.substring(1)).append(')');
                    break;
                case "@networks":
                    words.append(" (__berth_list networks)");
                    break;
                default:
                    words.append(' ').append(k);
            }
        }
        return (files ? " -F" : "") + (words.length() == 0 ? "" : " -a " + fishQ(words.substring(1)));
    }
}
