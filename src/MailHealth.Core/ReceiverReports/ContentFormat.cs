namespace MailHealth.ReceiverReports;

/// <summary>What the first bytes of an input or a part say it is (<see cref="ContentSniffer"/>).</summary>
internal enum ContentFormat
{
    Empty,
    Gzip,
    Zip,
    Xml,

    /// <summary>XML that declares a DTD: refused before any parser sees it.</summary>
    XmlWithDtd,
    Json,

    /// <summary>An e-mail message (header fields first, or an mbox "From " line).</summary>
    Message,
    Html,
    Unknown,
}
