"""Language names Rouge 3.30 knows (tags and aliases, case-sensitive), as Jekyll sees them.

Input: none. Output: ``ROUGE_LANGS``. Generated with
``ruby -rrouge -e 'puts Rouge::Lexer.all.flat_map{|l| [l.tag]+l.aliases}.uniq.sort'``.
A fence language outside this set gets kramdown's bare ``<pre><code class="language-x">``.
"""
from __future__ import annotations

ROUGE_LANGS: frozenset[str] = frozenset("""
Dockerfile HAML Isabelle LaTeX OCL R S TeX abap actionscript ada apache apex apib 
apiblueprint applescript armasm as as3 aug augeas awk bash bat batch batchfile bbcbasic 
behat bib bibtex biml bpf brainfuck brightscript brs bs bsdmake bsl c c# c++ ceylon cfc 
cfscript cl clean clj cljs clojure cmake cmhg cmm coffee coffee-script coffeescript 
common-lisp common_lisp conf config configuration console coq cpp cr crystal cs csharp css 
csvs cucumber cuda cypher cython d dafny dart datastudio diff digdag django dlang docker 
dockerfile dosbatch dot e-mail ecl eex eiffel elisp elixir elm emacs-lisp email eml epp eps 
erb erl erlang eruby esc escape ex exs factor fea ff fluent fortran freefem fsharp ftl gd 
gdscript ghc-cmm ghc-core gherkin glsl gnumake go golang gradle graphql groovy hack haml 
handlebars haskell haxe hbs hcl heex hh hlsl hocon hql hs html http hx hy hylang idlang idr 
idris igorpro ini io irb irb_output isa isabelle isbl j janet java javascript jdn jinja jl 
js jsl json json-doc jsonc jsonnet jsp jsx julia kdb+ kotlin ksh lasso lassoscript latex 
lean leex lhaskell lhs liquid lisp litcoffee literate_coffeescript literate_haskell 
lithaskell livescript llvm ls lua lustre lutin m m68k magik make makefile markdown mason 
mathematica matlab md meson mf microsoftshell minizinc mkd ml moon moonscript mosel 
msgtrans msshell mustache mxml nasm nes nesasm nginx nial nim nimrod nix nixos obj-c 
obj-c++ obj-cpp obj_c obj_c++ obj_cpp objc objc++ objcpp objective_c objective_cpp 
objectivec objectivec++ objectivecpp ocaml ocl openedge opentype opentype_feature_file 
opentypefeature pascal patch perl php php3 php4 php5 pl plaintext plist plsql pony posh 
postscr postscript powershell pp praat prolog prometheus properties proto protobuf pry ps 
puppet py pyrex python pyx q qml r racket rb react realbasic reasonml rego rescript rhtml 
robot robot-framework robot_framework rs rs,ignore rs,no_run rs,should_panic ruby rust 
rust,ignore rust,no_run rust,should_panic s sas sass scala scheme scss sed sh shell 
shell-session shell_session sieve slice slim smalltalk smarty sml solidity sparql sqf sql 
squeak ssh st stan stata supercollider swift systemd syzlang syzprog tap tcl terminal 
terraform tex text tf toml ts tsx ttcn3 tulip turtle twig typescript udiff unit-file vala 
varnish varnishconf vb vcl velocity verilog vhdl vim viml vimscript visualbasic vue vuejs 
winbatch wl wollok xml xojo xpath xquery yaml yang yml zig zir zsh
""".split())

# Rouge names whose Pygments lexer has another name.
PYGMENTS_NAME: dict[str, str] = {
    "irb": "rbcon", "irb_output": "text", "pry": "rbcon", "shell-session": "console",
    "shell_session": "console", "terminal": "console", "jsonc": "json", "json-doc": "json",
    "react": "jsx", "vuejs": "vue", "eex": "html+elixir" , "datastudio": "sql",
    "hylang": "hy", "rs,ignore": "rust", "rs,no_run": "rust", "rs,should_panic": "rust",
    "rust,ignore": "rust", "rust,no_run": "rust", "rust,should_panic": "rust",
    "Dockerfile": "docker", "LaTeX": "tex", "TeX": "tex", "R": "r", "HAML": "haml",
    "patch": "diff", "vb": "vbnet", "viml": "vim", "vimscript": "vim", "hbs": "handlebars",
    "mustache": "handlebars", "gradle": "groovy", "ml": "ocaml", "objective_c": "objective-c",
    "obj_c": "objective-c", "objcpp": "objective-c++", "obj_cpp": "objective-c++",
    "objective_cpp": "objective-c++", "objectivecpp": "objective-c++", "obj-cpp": "objective-c++",
    "obj_c++": "objective-c++", "ls": "livescript", "robot": "robotframework",
    "robot-framework": "robotframework", "robot_framework": "robotframework",
    "varnish": "vcl", "varnishconf": "vcl", "eruby": "erb", "common_lisp": "common-lisp",
    "batchfile": "batch", "dlang": "d", "plsql": "plpgsql", "shell_session": "console",
}
