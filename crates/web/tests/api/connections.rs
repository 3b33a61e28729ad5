//! Operations: clients that hold the server (a request head sent halfway, too many connections
//! from one address or in total, an over-long address), each given a clear answer and let go;
//! and what `/metrics` tells an operator.

use crate::support::*;
use liaison_web::WebConfig;
use reqwest::StatusCode;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn addr(server: &Server) -> String {
    server.base.trim_start_matches("http://").to_string()
}

/// Everything the server writes until it closes the connection (or `limit` passes).
async fn read_all(stream: &mut TcpStream, limit: Duration) -> String {
    let mut out = Vec::new();
    let _ = tokio::time::timeout(limit, stream.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

async fn get(server: &Server, path: &str) -> String {
    let mut s = TcpStream::connect(addr(server)).await.unwrap();
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes()).await.unwrap();
    read_all(&mut s, Duration::from_secs(10)).await
}

fn status_of(answer: &str) -> u16 {
    answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

#[tokio::test]
async fn a_request_head_sent_halfway_is_answered_408_and_closed() {
    let web = WebConfig { header_read_timeout: Duration::from_secs(1), ..WebConfig::default() };
    let server = Server::start_with(test_config(), web).await;
    let mut slow = TcpStream::connect(addr(&server)).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Half: ").await.unwrap();
    let started = Instant::now();
    let answer = read_all(&mut slow, Duration::from_secs(20)).await;
    assert!(started.elapsed() < Duration::from_secs(10), "closed after the header time, not held: {:?}", started.elapsed());
    assert_eq!(status_of(&answer), 408, "{answer}");
    let lower = answer.to_ascii_lowercase();
    assert!(lower.contains("content-type: application/problem+json"), "{answer}");
    assert!(lower.contains("content-security-policy:") && lower.contains("x-content-type-options: nosniff"), "{answer}");
    assert!(answer.contains("urn:liaison:problem:timeout"), "{answer}");

    // A connection that sends nothing is closed quietly after the same time.
    let mut idle = TcpStream::connect(addr(&server)).await.unwrap();
    let started = Instant::now();
    let answer = read_all(&mut idle, Duration::from_secs(20)).await;
    assert!(started.elapsed() < Duration::from_secs(10) && answer.is_empty(), "{answer:?} after {:?}", started.elapsed());
    // The server still answers everyone else.
    assert_eq!(status_of(&get(&server, "/healthz").await), 200);
}

#[tokio::test]
async fn connections_over_the_bounds_are_answered_and_closed_then_let_in_again() {
    let web = WebConfig { max_connections: 5, max_connections_per_address: 2, header_read_timeout: Duration::from_secs(30), ..WebConfig::default() };
    let server = Server::start_with(test_config(), web).await;
    let first = TcpStream::connect(addr(&server)).await.unwrap();
    let _second = TcpStream::connect(addr(&server)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let answer = get(&server, "/healthz").await;
    assert_eq!(status_of(&answer), 429, "a third from the same address: {answer}");
    let lower = answer.to_ascii_lowercase();
    assert!(lower.contains("retry-after: 5") && lower.contains("connection: close"), "{answer}");
    assert!(lower.contains("content-security-policy:"), "{answer}");
    assert!(answer.contains("urn:liaison:problem:too-many-connections"), "{answer}");
    drop(first);
    // The closed connection's place comes back.
    let mut freed = false;
    for _ in 0..50 {
        if status_of(&get(&server, "/healthz").await) == 200 {
            freed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(freed, "a place was given back when a connection closed");
}

#[tokio::test]
async fn connections_over_the_total_are_answered_503() {
    let web = WebConfig { max_connections: 2, max_connections_per_address: 100, header_read_timeout: Duration::from_secs(30), ..WebConfig::default() };
    let server = Server::start_with(test_config(), web).await;
    let _held: Vec<TcpStream> = vec![TcpStream::connect(addr(&server)).await.unwrap(), TcpStream::connect(addr(&server)).await.unwrap()];
    tokio::time::sleep(Duration::from_millis(300)).await;
    let answer = get(&server, "/api/v1/plans").await;
    assert_eq!(status_of(&answer), 503, "{answer}");
    assert!(answer.contains("urn:liaison:problem:overloaded"), "{answer}");
}

#[tokio::test]
async fn an_over_long_address_is_414_with_a_problem_and_the_security_headers() {
    let server = Server::start().await;
    let r = server.anon().get(&format!("/api/v1/plans?q={}", "a".repeat(17_000))).await;
    assert_eq!(r.status, StatusCode::URI_TOO_LONG);
    assert_eq!(r.content_type(), "application/problem+json");
    assert_eq!(r.body["type"], "urn:liaison:problem:uri-too-long");
    assert!(r.headers.contains_key("content-security-policy") && r.headers.contains_key("x-frame-options"), "{:?}", r.headers);
    let page = server.anon().get(&format!("/public/?x={}", "a".repeat(17_000))).await;
    assert_eq!(page.status, StatusCode::URI_TOO_LONG);
}

#[tokio::test]
async fn metrics_give_latency_per_route_database_pools_and_the_outbox() {
    let f = Fixture::new().await;
    let api = f.as_("coordinator").await;
    assert_eq!(api.get(&f.plan_path("/items")).await.status, StatusCode::OK);
    let m = f.server.anon().get("/metrics").await;
    assert_eq!(m.status, StatusCode::OK);
    assert!(m.content_type().starts_with("text/plain"), "{}", m.content_type());
    let route = "route=\"/api/v1/plans/{id}/items\"";
    let bucket = m.text.lines().find(|l| {
        l.starts_with("liaison_http_request_duration_seconds_bucket{") && l.contains(route) && l.contains("method=\"GET\"") && l.contains("status=\"2xx\"")
    });
    assert!(bucket.is_some(), "a histogram of the route, by its template:\n{}", m.text);
    assert!(m.text.contains("# TYPE liaison_http_request_duration_seconds histogram"), "{}", m.text);
    for line in ["liaison_db_connections{pool=\"read\"}", "liaison_db_connections_idle{pool=\"write\"}", "liaison_outbox_emails "] {
        let value = m.text.lines().find(|l| l.starts_with(line)).and_then(|l| l.rsplit(' ').next()).and_then(|v| v.parse::<f64>().ok());
        assert!(value.is_some(), "{line} with a number:\n{}", m.text);
    }
    assert!(!m.text.contains(&f.plan.id.to_string()), "routes are templates, never ids");
}
