/**
 * Wireshark's own encapsulation numbers (WTAP_ENCAP_*, what `frame.encap_type` prints) mapped to
 * the LINKTYPE_* numbers pcap files and Frame.linkType use. The two numberings differ
 * (WTAP 7 RAW_IP is LINKTYPE 101, WTAP 15 NULL is LINKTYPE 0, WTAP 25 SLL is 113).
 *
 * Measured, not transcribed: every LINKTYPE 0..299 was written into a one-packet pcap and read
 * back with tshark 4.0.17 `-T fields -e frame.encap_type`. Where several LINKTYPEs collapse
 * onto one WTAP value, the canonical LINKTYPE is listed (RAW_IP: 101, not DLT_RAW 12/14).
 */
const WTAP_TO_LINKTYPE: ReadonlyMap<number, number> = new Map([
  [1, 1], // ETHERNET → EN10MB
  [2, 6], // TOKEN_RING → IEEE802_5
  [3, 8], // SLIP
  [4, 9], // PPP
  [6, 10], // FDDI
  [7, 101], // RAW_IP → RAW
  [8, 7], // ARCNET (BSD)
  [9, 129], // ARCNET_LINUX
  [10, 100], // ATM_RFC1483
  [11, 106], // LINUX_ATM_CLIP
  [13, 123], // ATM_PDUS → SUNATM
  [15, 0], // NULL
  [18, 122], // IP_OVER_FC
  [19, 204], // PPP_WITH_PHDR → PPP_WITH_DIR
  [20, 105], // IEEE_802_11
  [21, 119], // IEEE_802_11_PRISM
  [23, 127], // IEEE_802_11_RADIOTAP
  [24, 163], // IEEE_802_11_AVS
  [25, 113], // SLL → LINUX_SLL
  [26, 107], // FRELAY
  [28, 104], // CHDLC
  [29, 118], // CISCO_IOS
  [30, 114], // LOCALTALK
  [32, 121], // HHDLC
  [33, 143], // DOCSIS
  [36, 268], // SDLC
  [37, 128], // TZSP
  [38, 109], // ENC
  [39, 117], // PFLOG
  [41, 187], // BLUETOOTH_H4
  [42, 140], // MTP2
  [43, 141], // MTP3
  ...Array.from({ length: 16 }, (_, i): [number, number] => [45 + i, 147 + i]), // USER0..15
  [61, 99], // SYMANTEC
  [62, 138], // APPLE_IP_OVER_IEEE1394
  [63, 165], // BACNET_MS_TP
  [66, 169], // GPRS_LLC
  [67, 137], // JUNIPER_ATM1
  [68, 135], // JUNIPER_ATM2
  [69, 32], // REDBACK
  [75, 139], // MTP2_WITH_PHDR
  [76, 167], // JUNIPER_PPPOE
  [77, 172], // GCOM_TIE1
  [78, 173], // GCOM_SERIAL
  [81, 130], // JUNIPER_MLPPP
  [82, 131], // JUNIPER_MLFR
  [83, 178], // JUNIPER_ETHER
  [84, 179], // JUNIPER_PPP
  [85, 180], // JUNIPER_FRELAY
  [86, 181], // JUNIPER_CHDLC
  [87, 133], // JUNIPER_GGSN
  [91, 183], // JUNIPER_VP
  [92, 186], // USB_FREEBSD
  [93, 188], // IEEE802_16_MAC_CPS
  [95, 189], // USB_LINUX
  [97, 192], // PPI
  [99, 201], // BLUETOOTH_H4_WITH_PHDR
  [101, 142], // SCCP
  [103, 199], // IPMB_KONTRON
  [104, 195], // IEEE802_15_4
  [105, 214], // X2E_XORAYA
  [106, 210], // FLEXRAY
  [107, 212], // LIN
  [108, 211], // MOST
  [109, 190], // CAN20B
  [111, 213], // X2E_SERIAL
  [113, 215], // IEEE802_15_4_NONASK_PHY
  [115, 220], // USB_LINUX_MMAPPED
  [121, 224], // FIBRE_CHANNEL_FC2
  [122, 225], // FIBRE_CHANNEL_FC2_WITH_FRAME_DELIMS
  [124, 226], // IPNET
  [125, 227], // SOCKETCAN
  [127, 230], // IEEE802_15_4_NOFCS
  [129, 228], // RAW_IP4 → IPV4
  [130, 229], // RAW_IP6 → IPV6
  [131, 203], // LAPD
  [132, 235], // DVBCI
  [133, 236], // MUX27010
  [135, 240], // NETANALYZER
  [136, 241], // NETANALYZER_TRANSPARENT
  [138, 243], // MPEG_2_TS
  [139, 51], // PPP_ETHER → PPP_ETHER (PPPoE)
  [140, 245], // NFC_LLCP
  [141, 239], // NFLOG
  [146, 231], // DBUS
  [147, 202], // AX25_KISS
  [148, 3], // AX25
  [149, 248], // SCTP
  [151, 136], // JUNIPER_SVCS
  [152, 249], // USBPCAP
  [153, 250], // RTAC_SERIAL
  [154, 251], // BLUETOOTH_LE_LL
  [155, 252], // WIRESHARK_UPPER_PDU
  [157, 237], // STANAG_5066_D_PDU
  [158, 253], // NETLINK
  [159, 254], // BLUETOOTH_LINUX_MONITOR
  [160, 255], // BLUETOOTH_BREDR_BB
  [161, 256], // BLUETOOTH_LE_LL_WITH_PHDR
  [171, 258], // PKTAP
  [172, 259], // EPON
  [173, 260], // IPMI_TRACE
  [174, 108], // LOOP
  [177, 264], // ISO14443
  [178, 170], // GFP_T
  [179, 171], // GFP_F
  [180, 242], // IP_OVER_IB_PCAP
  [181, 184], // JUNIPER_VN
  [182, 266], // USB_DARWIN
  [183, 270], // LORATAP
  [184, 2], // 3MB_ETHERNET
  [185, 271], // VSOCK
  [186, 272], // NORDIC_BLE
  [197, 200], // JUNIPER_ST
  [198, 274], // ETHERNET_MPACKET
  [199, 273], // DOCSIS31_XRA31
  [200, 275], // DPAUXMON
  [204, 279], // EBHSCR
  [205, 280], // VPP
  [206, 283], // IEEE802_15_4_TAP
  [208, 288], // USB_2_0
  [210, 276], // SLL2 → LINUX_SLL2
  [211, 287], // ZWAVE_SERIAL
  [212, 290], // ETW
  [214, 292], // ZBNCP
  [215, 293], // USB_2_0_LOW_SPEED
  [216, 294], // USB_2_0_FULL_SPEED
  [217, 295], // USB_2_0_HIGH_SPEED
]);

/**
 * LINKTYPE_* for a Wireshark WTAP_ENCAP_* number, or -1 when it has none (Wireshark-internal
 * encapsulations such as NETTL or ERF records, or a number this table does not know).
 *
 * @example linkTypeFromWtapEncap(25) // 113 (LINKTYPE_LINUX_SLL)
 */
export function linkTypeFromWtapEncap(wtap: number): number {
  return WTAP_TO_LINKTYPE.get(wtap) ?? -1;
}
