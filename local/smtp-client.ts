import { connect } from "node:net";

/**
 * Sends one message to the local SMTP receiver the plain way (EHLO, MAIL, RCPT, DATA) and answers
 * the server's reply to the message's end: its code and text (250 accepted, 552/554 refused, …).
 */
export async function sendSmtp(
  port: number,
  envelope: { from: string; to: string[] },
  message: string,
): Promise<{ code: number; text: string }> {
  const socket = connect(port, "127.0.0.1");
  socket.setEncoding("utf8");
  let buffer = "";
  const waiters: ((line: string) => void)[] = [];
  socket.on("data", (chunk: string) => {
    buffer += chunk;
    let i = buffer.indexOf("\r\n");
    while (i !== -1) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 2);
      // A multi-line reply ends with "<code> " (a space); "<code>-" continues.
      if (/^\d{3} /.test(line)) waiters.shift()?.(line);
      i = buffer.indexOf("\r\n");
    }
  });
  const reply = () => new Promise<string>((resolve) => waiters.push(resolve));
  const command = async (line: string) => {
    const r = reply();
    socket.write(`${line}\r\n`);
    return r;
  };
  try {
    await reply(); // the greeting
    await command("EHLO tests.localhost");
    await command(`MAIL FROM:<${envelope.from}>`);
    for (const to of envelope.to) await command(`RCPT TO:<${to}>`);
    const data = await command("DATA");
    if (!data.startsWith("354")) return { code: Number(data.slice(0, 3)), text: data.slice(4) };
    // Dot-stuffing: a line that starts with "." gets another.
    const body = message.replace(/\r?\n/g, "\r\n").replace(/^\./gm, "..");
    const end = reply();
    socket.write(`${body}\r\n.\r\n`);
    const last = await end;
    await command("QUIT").catch(() => "");
    return { code: Number(last.slice(0, 3)), text: last.slice(4) };
  } finally {
    socket.destroy();
  }
}
