//! The listener's limits against a real server on 127.0.0.1 (port 0), with
//! raw TCP clients: the header read timeout, the idle timeout and the
//! connection cap. The timeouts are configured short; the tests wait for
//! the server to act, they do not measure it.

use redress_domain::model::Role;
use redress_server::http::HttpConfig;
use redress_server::testing::TestServer;
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// A bound for reads, so a broken server fails the test instead of hanging
/// it; the server is expected to act long before.
const SAFETY: Duration = Duration::from_secs(20);

const HEALTH: &[u8] = b"GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n";

fn connect(server: &TestServer) -> TcpStream {
    let stream = TcpStream::connect(server.addr()).expect("connect");
    stream.set_read_timeout(Some(SAFETY)).expect("read timeout");
    stream
}

/// Reads one response head and its body (by Content-Length).
fn read_response(stream: &mut TcpStream) -> String {
    let mut got = Vec::new();
    let mut byte = [0u8; 1];
    while !got.ends_with(b"\r\n\r\n") {
        let n = stream.read(&mut byte).expect("a response");
        assert!(n > 0, "the connection closed before a response");
        got.push(byte[0]);
    }
    let head = String::from_utf8(got).expect("utf-8 head");
    let length = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).expect("the body");
    head
}

/// True once the server has closed the connection (end of file or reset),
/// reading whatever it still sends; panics if it stays open past SAFETY.
fn closed_by_server(stream: &mut TcpStream) -> bool {
    let mut buffer = [0u8; 512];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return true,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return false;
            }
            Err(e) => panic!("reading: {e}"),
        }
    }
}

fn start(config: HttpConfig) -> TestServer {
    TestServer::start_with(config, &[("ann", Role::Agent, None)])
}

#[test]
fn a_client_sending_its_headers_byte_by_byte_is_cut_off() {
    let server = start(HttpConfig {
        header_read_timeout: Duration::from_millis(300),
        idle_timeout: Duration::from_secs(60),
        ..HttpConfig::default()
    });
    let mut stream = connect(&server);
    // Far more header bytes than the server waits for at this pace: a
    // header line that never ends.
    let mut request = b"GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".to_vec();
    request.extend(std::iter::repeat_n(b'a', 100_000));
    let mut cut_off = false;
    for byte in &request {
        if stream.write_all(&[*byte]).is_err() {
            cut_off = true;
            break;
        }
        // Has the server given up? A short read timeout between bytes
        // paces the client.
        stream
            .set_read_timeout(Some(Duration::from_millis(20)))
            .expect("read timeout");
        let mut buffer = [0u8; 256];
        match stream.read(&mut buffer) {
            Ok(0) => {
                cut_off = true;
                break;
            }
            Ok(_) => {
                // A 408 or similar answer: the server ends the connection.
                stream.set_read_timeout(Some(SAFETY)).expect("read timeout");
                cut_off = closed_by_server(&mut stream);
                break;
            }
            Err(e) if e.kind() == ErrorKind::ConnectionReset => {
                cut_off = true;
                break;
            }
            Err(_) => {}
        }
    }
    assert!(cut_off, "the server kept reading headers that never end");
}

#[test]
fn an_idle_connection_is_closed() {
    let server = start(HttpConfig {
        header_read_timeout: Duration::from_secs(60),
        idle_timeout: Duration::from_millis(200),
        ..HttpConfig::default()
    });
    let mut stream = connect(&server);
    stream.write_all(HEALTH).expect("send");
    let head = read_response(&mut stream);
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    // Kept alive, then idle: the server closes it (long before SAFETY).
    assert!(
        closed_by_server(&mut stream),
        "the idle connection stayed open"
    );
}

#[test]
fn an_event_stream_outlives_the_idle_timeout() {
    use std::io::BufRead;
    let server = start(HttpConfig {
        idle_timeout: Duration::from_millis(100),
        keep_alive: Duration::from_millis(50),
        ..HttpConfig::default()
    });
    // The stream is a request in flight: several keep-alives arrive, each
    // well past the idle timeout since the stream began.
    let mut stream = connect(&server);
    let token = login_token(&server);
    let request = format!(
        "GET /api/v1/sync/events HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {}\r\n\
         Redress-Device: {}\r\nRedress-Protocol: {}\r\n\r\n",
        token.0,
        token.1,
        redress_protocol::PROTOCOL_VERSION
    );
    stream.write_all(request.as_bytes()).expect("send");
    let mut reader = std::io::BufReader::new(stream);
    let mut keep_alives = 0;
    let mut line = String::new();
    while keep_alives < 6 {
        line.clear();
        let n = reader.read_line(&mut line).expect("the stream goes on");
        assert!(n > 0, "the event stream was closed");
        if line.starts_with(':') {
            keep_alives += 1;
        }
    }
}

/// Signs ann in on a new device: (token, device id).
fn login_token(server: &TestServer) -> (String, redress_protocol::DeviceId) {
    let device = redress_protocol::DeviceId(uuid::Uuid::now_v7());
    let session = redress_sync::login(
        &server.url(),
        "ann",
        redress_server::testing::PASSWORD,
        device,
        "test",
    )
    .expect("sign in");
    (session.token, device)
}

#[test]
fn the_connection_cap_holds() {
    let server = start(HttpConfig {
        max_connections: 2,
        ..HttpConfig::default()
    });
    // Two connections, each known to be accepted (it answered).
    let mut open: Vec<TcpStream> = (0..2)
        .map(|_| {
            let mut s = connect(&server);
            s.write_all(HEALTH).expect("send");
            let head = read_response(&mut s);
            assert!(head.starts_with("HTTP/1.1 200"), "{head}");
            s
        })
        .collect();
    // A third is closed without an answer.
    let mut third = connect(&server);
    let _ = third.write_all(HEALTH);
    assert!(
        closed_by_server(&mut third),
        "a third connection was served"
    );
    // Once one closes, a new connection is served again (the server frees
    // the slot when it notices the close).
    drop(open.pop());
    let mut served = false;
    for _ in 0..200 {
        let mut again = connect(&server);
        if again.write_all(HEALTH).is_ok() {
            let mut byte = [0u8; 1];
            if matches!(again.read(&mut byte), Ok(1)) {
                served = true;
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(served, "the freed slot was never given to a new connection");
}

#[test]
fn a_body_that_does_not_arrive_in_time_fails_its_request() {
    let server = start(HttpConfig {
        body_timeout: Duration::from_millis(200),
        header_read_timeout: Duration::from_secs(60),
        idle_timeout: Duration::from_secs(60),
        ..HttpConfig::default()
    });
    let mut stream = connect(&server);
    // Announces 100 bytes, sends 10 and waits.
    let request = format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
         Content-Length: 100\r\nRedress-Protocol: {}\r\n\r\n{{\"username\"",
        redress_protocol::PROTOCOL_VERSION
    );
    stream.write_all(request.as_bytes()).expect("send");
    // The server gives up on the body: an error answer, not a hang.
    let head = read_response(&mut stream);
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    assert!((400..500).contains(&status), "{head}");
}
