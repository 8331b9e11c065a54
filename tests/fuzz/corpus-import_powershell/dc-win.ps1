# dc-win: Windows Server 2019 gateway of the data centre, site-to-site
# tunnel to the head office router (Microsoft's documented cmdlets).
Import-Module NetSecurity

$hq       = '198.51.100.1'
$dcPublic = '192.0.2.10'

# Main mode: AES-256 / SHA-256 / DH14 toward the head office only.
$mmProposal = New-NetIPsecMainModeCryptoProposal -Encryption AES256 -Hash SHA256 -KeyExchange DH14
$mmSet = New-NetIPsecMainModeCryptoSet -DisplayName "HQ main mode" -Proposal $mmProposal -MaxMinutes 1440

# Quick mode: ESP AES-256 / SHA-256, PFS with DH14.
$qmProposal = New-NetIPsecQuickModeCryptoProposal -Encapsulation ESP `
    -Encryption AES256 -ESPHash SHA256 -MaxMinutes 60
$qmSet = New-NetIPsecQuickModeCryptoSet -DisplayName "HQ quick mode" `
    -Proposal @($qmProposal) -PerfectForwardSecrecyGroup DH14

$psk = New-NetIPsecAuthProposal -Machine -PreSharedKey "Dc-Win-Shared-Key-2019"
$authSet = New-NetIPsecPhase1AuthSet -DisplayName "HQ PSK" -Proposal $psk

New-NetIPsecMainModeRule -DisplayName "HQ main mode" -LocalAddress $dcPublic `
    -RemoteAddress $hq -MainModeCryptoSet $mmSet.Name -Phase1AuthSet $authSet.Name

$rule = @{
    DisplayName          = 'Tunnel DC to HQ'
    Mode                 = 'Tunnel'
    LocalAddress         = '10.4.0.0/16'
    RemoteAddress        = '10.1.0.0/16'
    LocalTunnelEndpoint  = $dcPublic
    RemoteTunnelEndpoint = $hq
    InboundSecurity      = 'Require'
    OutboundSecurity     = 'Require'
    QuickModeCryptoSet   = $qmSet.Name
    Phase1AuthSet        = $authSet.Name
    KeyModule            = 'IKEv2'
}
New-NetIPsecRule @rule

# The gateway routes between its interfaces.
New-NetIPAddress -InterfaceAlias "Internet" -IPAddress 192.0.2.10 -PrefixLength 24 -DefaultGateway 192.0.2.1
New-NetIPAddress -InterfaceAlias "DC" -IPAddress 10.4.0.1 -PrefixLength 16
Set-NetIPInterface -InterfaceAlias "Internet" -Forwarding Enabled
Set-NetIPInterface -InterfaceAlias "DC" -Forwarding Enabled

# Unrelated: time and logging.
Set-TimeZone -Id "UTC"
Write-Host "dc-win configured"
