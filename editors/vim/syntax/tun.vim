" Vim syntax file
" Language:	tunc policy language (.tun), see tunc.tun(5)
" Maintainer:	the tunc project
"
" Install: copy syntax/tun.vim and ftdetect/tun.vim under ~/.vim/ (or
" `make install`, which puts them in $(datadir)/vim/vimfiles/).

if exists("b:current_syntax")
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

" Names may hold - . / (rtr-a, GigabitEthernet0/1, eth0.100): make them
" word characters so that keywords only match whole names.
syn iskeyword @,48-57,_,-,.,/,192-255

syn case match

" Comments and strings
syn keyword tunTodo		contained TODO FIXME XXX NOTE
syn match   tunComment		"#.*$" contains=tunTodo,@Spell
syn match   tunEscape		contained +\\["\\]+
syn region  tunString		start=+"+ skip=+\\\\\|\\"+ end=+"+ end=+$+ oneline contains=tunEscape
syn match   tunError		+"\([^"\\]\|\\.\)*$+

" Top-level blocks and statements
syn keyword tunInclude		include
syn keyword tunStructure	ike ipsec site peer tunnel gateway interface nat
syn keyword tunExpect		expect by reply size df

" Statements inside blocks
syn keyword tunStatement	version mode encryption integrity group lifetime
syn keyword tunStatement	protocol pfs subnet host platform address outside
syn keyword tunStatement	behind-nat filter route via dev metric exempt
syn keyword tunStatement	overload static between local remote
syn keyword tunStatement	local-endpoint remote-endpoint psk nat-traversal
syn keyword tunStatement	mirrored accept-unsecured keying route-based mtu tcp-mss dpd
syn keyword tunKeyword		in out on to and tunnels file env default any pat

" Filter actions and verdicts
syn keyword tunAction		permit drop
syn keyword tunVerdict		protected clear dropped unreachable

" Values: platforms, algorithms, protocols, modes
syn keyword tunPlatform		ios pix asa windows isa linux
syn keyword tunAlgorithm	null des 3des aes128 aes192 aes256 aes128-gcm aes256-gcm
syn keyword tunAlgorithm	none md5 sha1 sha256 sha384 sha512
syn keyword tunProtocol		icmp tcp udp esp ah gre icmpv6
syn keyword tunConstant		main aggressive auto off

" Numbers, durations and volumes, port ranges
syn match   tunNumber		"\<\d\+\>"
syn match   tunNumber		"\<\d\+-\d\+\>"
syn match   tunDuration		"\<\d\+[smhd]\>"
syn match   tunVolume		"\<\d\+[KMG]\>"
syn match   tunVersion		"\<\d\+\%(\.\d\+\)\+\>"

" IPv4 addresses and prefixes (after tunVersion: an address wins)
syn match   tunAddress		"\<\%(\d\{1,3}\.\)\{3}\d\{1,3}\%(/\d\{1,2}\)\=\>"
" IPv6 addresses and prefixes: hex groups with at least one ':'
syn match   tunAddress		"\%(\<\x\{1,4}\|::\)\%(\x\{0,4}:\)\+\%(\x\{1,4}\)\=\%(\%(\d\{1,3}\.\)\{3}\d\{1,3}\)\=\%(/\d\{1,3}\)\="
syn match   tunAddress		"::"

" A prefix length that is out of range is an error
syn match   tunError		"\<\%(\d\{1,3}\.\)\{3}\d\{1,3}/\%([4-9]\d\|3[3-9]\|\d\{3,}\)\>"

" The arrow of filters, exemptions and expectations
syn match   tunOperator		"->"
syn match   tunDelimiter	"[;,{}]"

" Highlighting
hi def link tunTodo		Todo
hi def link tunComment		Comment
hi def link tunString		String
hi def link tunEscape		SpecialChar
hi def link tunError		Error
hi def link tunInclude		Include
hi def link tunStructure	Structure
hi def link tunExpect		Statement
hi def link tunStatement	Statement
hi def link tunKeyword		Keyword
hi def link tunAction		Conditional
hi def link tunVerdict		Boolean
hi def link tunPlatform		Type
hi def link tunAlgorithm	Constant
hi def link tunProtocol		Type
hi def link tunConstant		Constant
hi def link tunNumber		Number
hi def link tunDuration		Number
hi def link tunVolume		Number
hi def link tunVersion		Number
hi def link tunAddress		Special
hi def link tunOperator		Operator
hi def link tunDelimiter	Delimiter

let b:current_syntax = "tun"

let &cpo = s:cpo_save
unlet s:cpo_save

" vim: ts=8 sw=2
