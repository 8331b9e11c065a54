" Vim filetype detection for tunc policy files (tunc.tun(5)).
au BufRead,BufNewFile *.tun setfiletype tun
