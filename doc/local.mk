# doc: the manual pages, the markdown documents, and the editor and shell
# support installed with them (all under $(datadir), so that `make
# distcheck` installs as an ordinary user).

dist_man_MANS += doc/tunc.1 doc/tunc.tun.5

# (doc/diagnostics.md, doc/checks.md and doc/emitters.md are listed by
# their owners' fragments: src/diag, src/check, emit.)
EXTRA_DIST += \
	doc/README.md \
	doc/ci-integration.md \
	doc/cloud-peers.md \
	doc/files-and-keys.md \
	doc/language-decisions.md

# Vim: syntax and filetype detection, found through 'runtimepath'.
vimsyntaxdir = $(datadir)/vim/vimfiles/syntax
dist_vimsyntax_DATA = editors/vim/syntax/tun.vim
vimftdetectdir = $(datadir)/vim/vimfiles/ftdetect
dist_vimftdetect_DATA = editors/vim/ftdetect/tun.vim

# Emacs: the major mode, on the site load-path.
emacsdir = $(datadir)/emacs/site-lisp
dist_emacs_DATA = editors/emacs/tun-mode.el

# bash: loaded on demand by bash-completion.
bashcompletiondir = $(datadir)/bash-completion/completions
dist_bashcompletion_DATA = completion/tunc

TESTS += tests/editors.sh tests/completion.sh tests/manpages.sh
EXTRA_DIST += tests/editors.sh tests/completion.sh tests/manpages.sh
EXTRA_DIST += doc/graph.md doc/seed003-topology.svg doc/import.md
