//! Reading a ticket's QR code with the phone's camera, where the browser has the Barcode
//! Detection API (`BarcodeDetector`: Chrome on Android, among others). Elsewhere the button is
//! not shown and the counselor types the code written under the QR code.
//!
//! Called through `js_sys::Reflect`: the API is not in `web-sys`'s stable set, and reaching it
//! this way keeps the staff's app free of bindings it would carry for every browser.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast as _, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::i18n::use_i18n;

fn get(target: &JsValue, name: &str) -> Option<JsValue> {
    js_sys::Reflect::get(target, &name.into())
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// Calls `target.name(args…)`; a promise it returns is awaited.
async fn call(target: &JsValue, name: &str, args: &[&JsValue]) -> Result<JsValue, JsValue> {
    let function: js_sys::Function = get(target, name)
        .ok_or_else(|| JsValue::from_str(name))?
        .dyn_into()?;
    let list = js_sys::Array::new();
    for arg in args {
        list.push(arg);
    }
    let value = function.apply(target, &list)?;
    match value.dyn_into::<js_sys::Promise>() {
        Ok(promise) => JsFuture::from(promise).await,
        Err(value) => Ok(value),
    }
}

/// Whether this browser can read QR codes from the camera.
pub fn available() -> bool {
    let window: JsValue = window().into();
    get(&window, "BarcodeDetector").is_some()
        && get(&window, "navigator")
            .and_then(|n| get(&n, "mediaDevices"))
            .and_then(|m| get(&m, "getUserMedia"))
            .is_some()
}

async fn pause(milliseconds: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ =
            window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, milliseconds);
    });
    let _ = JsFuture::from(promise).await;
}

/// Stops every track of a camera stream (the camera's light goes off).
async fn stop(stream: &JsValue) {
    if let Ok(tracks) = call(stream, "getTracks", &[]).await {
        for track in js_sys::Array::from(&tracks).iter() {
            let _ = call(&track, "stop", &[]).await;
        }
    }
}

/// Reads codes from the back camera into `video` until one is found, `running` turns false or
/// the page is left; the code found.
async fn scan(video: JsValue, running: RwSignal<bool>) -> Result<Option<String>, JsValue> {
    let window: JsValue = window().into();
    let devices = get(&window, "navigator")
        .and_then(|n| get(&n, "mediaDevices"))
        .ok_or_else(|| JsValue::from_str("mediaDevices"))?;
    let constraints =
        js_sys::JSON::parse(r#"{"audio":false,"video":{"facingMode":"environment"}}"#)?;
    let stream = call(&devices, "getUserMedia", &[&constraints]).await?;
    js_sys::Reflect::set(&video, &"srcObject".into(), &stream)?;
    // Not awaited: the frames come as they come, and the detector reads whichever is there.
    if let Some(play) = get(&video, "play").and_then(|p| p.dyn_into::<js_sys::Function>().ok()) {
        let _ = play.call0(&video);
    }
    let detector_class: js_sys::Function = get(&window, "BarcodeDetector")
        .ok_or_else(|| JsValue::from_str("BarcodeDetector"))?
        .dyn_into()?;
    let options = js_sys::JSON::parse(r#"{"formats":["qr_code"]}"#)?;
    let detector = js_sys::Reflect::construct(&detector_class, &js_sys::Array::of1(&options))?;
    let mut found = None;
    while running.try_get_untracked() == Some(true) {
        if let Ok(codes) = call(&detector, "detect", &[&video]).await
            && let Some(raw) =
                get(&js_sys::Array::from(&codes).get(0), "rawValue").and_then(|v| v.as_string())
        {
            found = Some(raw);
            break;
        }
        pause(250).await;
    }
    stop(&stream).await;
    Ok(found)
}

/// A button that opens the camera and hands the first code it reads to `found`.
#[component]
pub fn Scanner(found: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let running = RwSignal::new(false);
    let failed = RwSignal::new(false);
    let video = NodeRef::<leptos::html::Video>::new();
    let start = move |_| {
        failed.set(false);
        running.set(true);
        // The video element exists once the signal has drawn it.
        spawn_local(async move {
            pause(0).await;
            let Some(element) = video.get_untracked() else {
                running.try_set(false);
                return;
            };
            match scan(element.into(), running).await {
                Ok(Some(code)) => {
                    running.try_set(false);
                    found.run(code);
                }
                Ok(None) => {}
                Err(_) => {
                    running.try_set(false);
                    failed.try_set(true);
                }
            }
        });
    };
    available().then(|| {
        view! {
            <div class="scanner">
                <Show
                    when=move || running.get()
                    fallback=move || view! {
                        <button type="button" class="secondary" id="scan" on:click=start>{move || i18n.t("manage.scan")}</button>
                    }
                >
                    <video node_ref=video autoplay muted playsinline aria-label=move || i18n.t("manage.scan.video")></video>
                    <button type="button" class="secondary" id="scan-stop" on:click=move |_| running.set(false)>{move || i18n.t("manage.scan.stop")}</button>
                </Show>
                {move || failed.get().then(|| view! { <p class="alert" role="alert">{i18n.t("manage.scan.failed")}</p> })}
            </div>
        }
    })
}
