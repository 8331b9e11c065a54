#!/bin/sh
# The editor support in editors/: the Vim syntax and filetype detection and
# the Emacs major mode load without error, recognise a .tun file, and
# highlight each kind of token (checked at positions in a fixture and in
# the language tour).  Each editor that is not installed is a visible SKIP.
. "$top_srcdir/tests/lib.sh"

tour="$top_srcdir/examples/language-tour.tun"
[ -f "$tour" ] || fail "missing $tour"

# A fixture with every kind of token, including a string with escapes.
cat > "$TMP/fixture.tun" <<'EOF'
# fixture: TODO every kind of token
ike p1 { version 2; encryption aes256-gcm, 3des; integrity sha256; group 19; lifetime 24h; }
ipsec p2 { protocol esp; encryption null; integrity sha1; pfs none; lifetime 1h 4G; }
site s {
    subnet 10.0.0.0/8, 2001:db8::/32;
    host "a \"quoted\" \\ name" 10.0.0.1;
    gateway rtr-a {
        platform windows 2003;
        interface eth0.100 {
            address 198.51.100.1/30;
            outside;
            filter out { permit any -> 2001:db8:ffff::1 tcp 1024-65535; default drop; }
        }
    }
}
expect rtr-a -> 10.0.0.9 icmp dropped;
EOF

skipped=""
ran=""

# ---- Vim ---------------------------------------------------------------
if command -v vim >/dev/null 2>&1 && vim --version 2>/dev/null | grep -q '+syntax'; then
	cat > "$TMP/check.vim" <<'EOF'
set nocompatible
let &runtimepath = $TUNVIM . ',' . &runtimepath
filetype on
syntax on
let s:out = []
function! s:Group(pat)
  call cursor(1, 1)
  if search(a:pat, 'cW') == 0
    return 'NOTFOUND'
  endif
  return synIDattr(synID(line('.'), col('.'), 1), 'name')
endfunction
function! s:Check(file, checks)
  execute 'edit' fnameescape(a:file)
  if &filetype !=# 'tun'
    call add(s:out, a:file . ': filetype is "' . &filetype . '", not tun')
  endif
  for [pat, want] in a:checks
    let got = s:Group(pat)
    if got !=# want
      call add(s:out, a:file . ': ' . pat . ' is "' . got . '", want "' . want . '"')
    endif
  endfor
endfunction
call s:Check($FIXTURE, [
  \ ['# \zsfixture', 'tunComment'], ['\zsTODO', 'tunTodo'],
  \ ['^\zsike', 'tunStructure'], ['version \zs2', 'tunNumber'],
  \ ['\zsaes256-gcm', 'tunAlgorithm'], [', \zs3des', 'tunAlgorithm'],
  \ ['lifetime \zs24h', 'tunDuration'], ['1h \zs4G', 'tunVolume'],
  \ ['encryption \zsnull', 'tunAlgorithm'], ['pfs \zsnone', 'tunAlgorithm'],
  \ ['subnet \zs10.0.0.0/8', 'tunAddress'], [', \zs2001:db8::/32', 'tunAddress'],
  \ ['host \zs"a', 'tunString'], ['a \zs\\"quoted', 'tunEscape'],
  \ ['\\ \zsname', 'tunString'], ['name" \zs10.0.0.1', 'tunAddress'],
  \ ['^\s*\zsgateway', 'tunStructure'], ['gateway \zsrtr-a', ''],
  \ ['platform \zswindows', 'tunPlatform'], ['windows \zs2003', 'tunNumber'],
  \ ['interface \zseth0.100', ''], ['\zsoutside;', 'tunStatement'],
  \ ['{ \zspermit', 'tunAction'], ['permit \zsany', 'tunKeyword'],
  \ ['any \zs->', 'tunOperator'], ['-> \zs2001:db8:ffff::1', 'tunAddress'],
  \ ['\zstcp 1024', 'tunProtocol'], ['tcp \zs1024-65535', 'tunNumber'],
  \ ['\zsdefault drop', 'tunKeyword'], ['icmp \zsdropped', 'tunVerdict'],
  \ ])
call s:Check($TOUR, [
  \ ['platform ios \zs15.4', 'tunVersion'], ['via \zs2001:db8:ff00::ffff', 'tunAddress'],
  \ ['^\zsinclude', 'tunInclude'], ['icmp \zsprotected', 'tunVerdict'],
  \ ['tcp 443 \zsclear', 'tunVerdict'], ['tcp 443 \zsunreachable', 'tunVerdict'],
  \ ])
call writefile(s:out, $OUT)
qall!
EOF
	# Every example must load with syntax on and no error message.
	for f in "$top_srcdir"/examples/*.tun "$top_srcdir"/examples/*/*.tun; do
		[ -f "$f" ] || continue
		err=$(TUNVIM="$top_srcdir/editors/vim" vim -Nu NONE -i NONE -n -Es \
			-c 'let &rtp = $TUNVIM . "," . &rtp' -c 'filetype on' -c 'syntax on' \
			-c "edit $f" \
			-c 'if &ft !=# "tun" || v:errmsg !=# "" | echo "ft=" . &ft . " " . v:errmsg | cquit | endif' \
			-c 'qall!' 2>&1) || fail "vim: $f: $err"
	done
	TUNVIM="$top_srcdir/editors/vim" FIXTURE="$TMP/fixture.tun" TOUR="$tour" OUT="$TMP/vim.out" \
		vim -Nu NONE -i NONE -n -Es -c "source $TMP/check.vim" </dev/null >/dev/null 2>&1 \
		|| fail "vim exited with status $?"
	[ -f "$TMP/vim.out" ] || fail "vim did not run the checks"
	if [ -s "$TMP/vim.out" ]; then
		cat "$TMP/vim.out"
		fail "vim syntax: highlighting differs"
	fi
	echo "vim: syntax/tun.vim and ftdetect/tun.vim load and highlight as expected"
	ran="$ran vim"
else
	echo "SKIP: vim with +syntax is not installed"
	skipped="$skipped vim"
fi

# ---- Emacs -------------------------------------------------------------
if command -v emacs >/dev/null 2>&1; then
	cp "$top_srcdir/editors/emacs/tun-mode.el" "$TMP/"
	emacs -Q --batch --eval '(setq byte-compile-error-on-warn t)' \
		-f batch-byte-compile "$TMP/tun-mode.el" 2>"$TMP/bytecomp.log" \
		|| { cat "$TMP/bytecomp.log"; fail "tun-mode.el does not byte-compile cleanly"; }
	cat > "$TMP/check.el" <<'EOF'
(require 'tun-mode)
(defvar tun-test-failures nil)
(defun tun-test-fail (fmt &rest args)
  (push (apply #'format (concat (buffer-name) ": " fmt) args) tun-test-failures))
(defun tun-test-face (regexp want)
  (goto-char (point-min))
  (if (not (re-search-forward regexp nil t))
      (tun-test-fail "%s not found" regexp)
    (let ((face (get-text-property (match-beginning 1) 'face)))
      (unless (if (listp face) (memq want face) (eq face want))
        (tun-test-fail "%s has face %S, want %S" regexp face want)))))
(defun tun-test-file (file checks)
  (find-file file)
  (unless (eq major-mode 'tun-mode)
    (tun-test-fail "opened in %S, not tun-mode" major-mode))
  (font-lock-ensure)
  (dolist (c checks) (tun-test-face (car c) (cadr c))))
(tun-test-file
 (getenv "FIXTURE")
 '(("# \\(fixture\\)" font-lock-comment-face)
   ("^\\(ike\\)" font-lock-keyword-face)
   ("^ike \\(p1\\)" font-lock-function-name-face)
   ("\\(aes256-gcm\\)" font-lock-constant-face)
   (", \\(3des\\)" font-lock-constant-face)
   ("lifetime \\(24h\\)" font-lock-constant-face)
   ("1h \\(4G\\)" font-lock-constant-face)
   ("subnet \\(10\\.0\\.0\\.0/8\\)" font-lock-variable-name-face)
   (", \\(2001:db8::/32\\)" font-lock-variable-name-face)
   ("host \\(\"a\\)" font-lock-string-face)
   ("\\\\\\\\ \\(name\\)" font-lock-string-face)
   ("name\" \\(10\\.0\\.0\\.1\\)" font-lock-variable-name-face)
   ("platform \\(windows\\)" font-lock-type-face)
   ("{ \\(permit\\)" font-lock-builtin-face)
   ("-> \\(2001:db8:ffff::1\\)" font-lock-variable-name-face)
   ("\\(tcp\\) 1024" font-lock-type-face)
   ("tcp \\(1024-65535\\)" font-lock-constant-face)
   ("icmp \\(dropped\\)" font-lock-constant-face)))
;; Names that contain a keyword are not keywords.
(goto-char (point-min))
(re-search-forward "gateway \\(rtr-a\\)")
(when (memq (get-text-property (match-beginning 1) 'face) '(font-lock-keyword-face font-lock-builtin-face))
  (tun-test-fail "rtr-a highlighted as a keyword"))
(goto-char (point-min))
(re-search-forward "interface \\(eth0\\.100\\)")
(unless (eq (get-text-property (match-beginning 1) 'face) 'font-lock-function-name-face)
  (tun-test-fail "eth0.100 is not highlighted as one name"))
(tun-test-file
 (getenv "TOUR")
 '(("platform ios \\(15\\.4\\)" font-lock-constant-face)
   ("via \\(2001:db8:ff00::ffff\\)" font-lock-variable-name-face)
   ("icmp \\(protected\\)" font-lock-constant-face)
   ("tcp 443 \\(unreachable\\)" font-lock-constant-face)))
;; Indentation by block depth.
(with-temp-buffer
  (tun-mode)
  (setq-local indent-tabs-mode nil)
  (insert "site s {\nsubnet 10.0.0.0/8;\ngateway g {\ninterface e { address 10.0.0.1/8; }\n}\n}\n")
  (let ((inhibit-message t)) (indent-region (point-min) (point-max)))
  (let ((want "site s {\n    subnet 10.0.0.0/8;\n    gateway g {\n        interface e { address 10.0.0.1/8; }\n    }\n}\n"))
    (unless (string= (buffer-string) want)
      (push (format "indentation: got\n%s" (buffer-string)) tun-test-failures))))
(dolist (f (reverse tun-test-failures)) (message "%s" f))
(kill-emacs (if tun-test-failures 1 0))
EOF
	FIXTURE="$TMP/fixture.tun" TOUR="$tour" emacs -Q --batch -L "$TMP" -l "$TMP/check.el" \
		|| fail "emacs tun-mode: highlighting or indentation differs"
	echo "emacs: tun-mode.el byte-compiles, highlights and indents as expected"
	ran="$ran emacs"
else
	echo "SKIP: emacs is not installed"
	skipped="$skipped emacs"
fi

if [ -n "$skipped" ]; then
	skip "not installed:$skipped (checked:${ran:- nothing})"
fi
exit 0
