;;; tun-mode.el --- Major mode for tunc policy files (.tun)  -*- lexical-binding: t; -*-

;; Author: the tunc project
;; Keywords: languages, comm
;; Package-Requires: ((emacs "25.1"))

;; This file is not part of GNU Emacs.

;;; Commentary:

;; Syntax highlighting, indentation and comment support for the tunc
;; IPsec policy language described in tunc.tun(5): keywords, platform and
;; algorithm names, verdicts, IPv4/IPv6 addresses and prefixes, durations
;; and volumes, comments and strings with \" and \\ escapes.
;;
;; Install: put this file on `load-path' (`make install' copies it to
;; $(datadir)/emacs/site-lisp) and add
;;
;;   (require 'tun-mode)
;;
;; to your init file; .tun files then open in `tun-mode'.  `M-x compile'
;; with "tunc lint FILE.tun" jumps to each finding: tunc prints them in
;; the GCC form that `compilation-mode' already understands.

;;; Code:

(defgroup tun nil
  "Major mode for tunc policy files."
  :group 'languages
  :prefix "tun-")

(defcustom tun-indent-offset 4
  "Number of columns of indentation per block level in `tun-mode'."
  :type 'integer
  :safe #'integerp
  :group 'tun)

(defconst tun-block-keywords
  '("ike" "ipsec" "site" "peer" "tunnel" "gateway" "interface" "filter" "nat")
  "Keywords that open a block.")

(defconst tun-statement-keywords
  '("include" "expect" "version" "mode" "encryption" "integrity" "group"
    "lifetime" "protocol" "pfs" "subnet" "host" "platform" "address" "outside"
    "behind-nat" "route" "via" "dev" "metric" "exempt" "overload" "static"
    "between" "local" "remote" "local-endpoint" "remote-endpoint" "psk"
    "nat-traversal" "mirrored" "accept-unsecured" "keying" "by" "reply"
    "route-based" "mtu" "tcp-mss" "dpd" "size" "df")
  "Keywords that begin or continue a statement.")

(defconst tun-other-keywords
  '("in" "out" "on" "to" "and" "tunnels" "file" "env" "default" "any" "pat")
  "Other reserved words.")

(defconst tun-actions '("permit" "drop")
  "Filter rule actions.")

(defconst tun-verdicts '("protected" "clear" "dropped" "unreachable")
  "Expectation verdicts.")

(defconst tun-platforms '("ios" "pix" "asa" "windows" "isa" "linux")
  "Platform names.")

(defconst tun-algorithms
  '("null" "des" "3des" "aes128" "aes192" "aes256" "aes128-gcm" "aes256-gcm"
    "none" "md5" "sha1" "sha256" "sha384" "sha512")
  "Encryption and integrity algorithm names.")

(defconst tun-protocols '("icmp" "tcp" "udp" "esp" "ah" "gre" "icmpv6")
  "IP protocol names.")

(defconst tun-constants '("main" "aggressive" "auto" "off")
  "Other values.")

(defun tun--words (words)
  "A regexp matching one of WORDS as a whole tunc name."
  ;; Names hold letters, digits and _ - . / which the syntax table makes
  ;; symbol constituents, so symbol boundaries keep `rtr-a' from matching
  ;; `a' and `aes128-gcm' from matching `aes128'.
  (regexp-opt words 'symbols))

(defconst tun-ipv4-regexp
  "\\_<[0-9]\\{1,3\\}\\(?:\\.[0-9]\\{1,3\\}\\)\\{3\\}\\(?:/[0-9]\\{1,2\\}\\)?"
  "An IPv4 address or prefix.")

(defconst tun-ipv6-regexp
  (concat "\\(?:[[:xdigit:]]\\{1,4\\}\\|::\\)"
          "\\(?:[[:xdigit:]]\\{0,4\\}:\\)+"
          "\\(?:[[:xdigit:]]\\{1,4\\}\\|[0-9]\\{1,3\\}\\(?:\\.[0-9]\\{1,3\\}\\)\\{3\\}\\)?"
          "\\(?:/[0-9]\\{1,3\\}\\)?")
  "An IPv6 address or prefix: hexadecimal groups with at least one colon.")

(defvar tun-font-lock-keywords
  `((,(tun--words tun-block-keywords) 1 font-lock-keyword-face)
    (,(tun--words tun-statement-keywords) 1 font-lock-keyword-face)
    (,(tun--words tun-other-keywords) 1 font-lock-builtin-face)
    (,(tun--words tun-actions) 1 font-lock-builtin-face)
    (,(tun--words tun-verdicts) 1 font-lock-constant-face)
    (,(tun--words tun-platforms) 1 font-lock-type-face)
    (,(tun--words tun-algorithms) 1 font-lock-constant-face)
    (,(tun--words tun-protocols) 1 font-lock-type-face)
    (,(tun--words tun-constants) 1 font-lock-constant-face)
    ;; The name a block defines: `site hq {', `gateway rtr-a {'.
    ("\\_<\\(?:ike\\|ipsec\\|site\\|peer\\|tunnel\\|gateway\\|interface\\)[ \t]+\\([[:alpha:]_][[:alnum:]_./-]*\\)"
     1 font-lock-function-name-face)
    (,tun-ipv4-regexp . font-lock-variable-name-face)
    (,tun-ipv6-regexp . font-lock-variable-name-face)
    ;; Durations (24h), volumes (4G), port ranges (1024-65535), versions
    ;; (15.4) and plain numbers.
    ("\\_<[0-9]+[smhdKMG]\\_>" . font-lock-constant-face)
    ("\\_<[0-9]+\\(?:-[0-9]+\\|\\(?:\\.[0-9]+\\)+\\)?\\_>" . font-lock-constant-face)
    ("->" . font-lock-builtin-face))
  "Highlighting for `tun-mode'.")

(defvar tun-mode-syntax-table
  (let ((table (make-syntax-table)))
    ;; # comments to the end of the line.
    (modify-syntax-entry ?# "<" table)
    (modify-syntax-entry ?\n ">" table)
    ;; Strings with \" and \\ escapes.
    (modify-syntax-entry ?\" "\"" table)
    (modify-syntax-entry ?\\ "\\" table)
    ;; Name constituents: rtr-a, GigabitEthernet0/1, eth0.100.
    (modify-syntax-entry ?_ "_" table)
    (modify-syntax-entry ?- "_" table)
    (modify-syntax-entry ?. "_" table)
    (modify-syntax-entry ?/ "_" table)
    (modify-syntax-entry ?: "_" table)
    (modify-syntax-entry ?\; "." table)
    (modify-syntax-entry ?, "." table)
    (modify-syntax-entry ?\' "." table)
    table)
  "Syntax table for `tun-mode'.")

(defun tun-indent-line ()
  "Indent the current line by its block depth."
  (interactive)
  (let* ((depth (save-excursion
                  (beginning-of-line)
                  (car (syntax-ppss))))
         (closing (save-excursion
                    (back-to-indentation)
                    (looking-at-p "}")))
         (column (* tun-indent-offset (max 0 (if closing (1- depth) depth))))
         (offset (- (current-column) (current-indentation))))
    (indent-line-to column)
    (when (> offset 0)
      (forward-char offset))))

;;;###autoload
(define-derived-mode tun-mode prog-mode "Tun"
  "Major mode for tunc policy files, the .tun language of tunc.tun(5)."
  :syntax-table tun-mode-syntax-table
  :group 'tun
  (setq-local comment-start "# ")
  (setq-local comment-end "")
  (setq-local comment-start-skip "#+[ \t]*")
  (setq-local indent-line-function #'tun-indent-line)
  (setq-local electric-indent-chars (append '(?\} ?\;) electric-indent-chars))
  (setq-local font-lock-defaults '(tun-font-lock-keywords nil nil)))

;;;###autoload
(add-to-list 'auto-mode-alist '("\\.tun\\'" . tun-mode))

(provide 'tun-mode)

;;; tun-mode.el ends here
