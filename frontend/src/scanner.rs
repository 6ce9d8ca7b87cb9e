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

/// Reads codes from the back camera into `video` until one is found, or this scan is no longer
/// the current one (`current`, compared with `mine`: stopped, started again, or the page left);
/// the code found. The camera is turned off however it ends.
async fn scan(
    video: JsValue,
    current: StoredValue<u32>,
    mine: u32,
) -> Result<Option<String>, JsValue> {
    let window: JsValue = window().into();
    // The reader first: a browser that has one but not for QR codes never opens the camera.
    let detector_class: js_sys::Function = get(&window, "BarcodeDetector")
        .ok_or_else(|| JsValue::from_str("BarcodeDetector"))?
        .dyn_into()?;
    if let Ok(formats) = call(&detector_class, "getSupportedFormats", &[]).await
        && !js_sys::Array::from(&formats).includes(&"qr_code".into(), 0)
    {
        return Err(JsValue::from_str("qr_code"));
    }
    let options = js_sys::JSON::parse(r#"{"formats":["qr_code"]}"#)?;
    let detector = js_sys::Reflect::construct(&detector_class, &js_sys::Array::of1(&options))?;
    let devices = get(&window, "navigator")
        .and_then(|n| get(&n, "mediaDevices"))
        .ok_or_else(|| JsValue::from_str("mediaDevices"))?;
    let constraints =
        js_sys::JSON::parse(r#"{"audio":false,"video":{"facingMode":"environment"}}"#)?;
    let stream = call(&devices, "getUserMedia", &[&constraints]).await?;
    let still_mine = || current.try_get_value() == Some(mine);
    let mut found = None;
    if still_mine() && js_sys::Reflect::set(&video, &"srcObject".into(), &stream).is_ok() {
        // Not awaited: the frames come as they come, and the reader reads whichever is there.
        if let Some(play) = get(&video, "play").and_then(|p| p.dyn_into::<js_sys::Function>().ok())
        {
            let _ = play.call0(&video);
        }
        while still_mine() {
            if let Ok(codes) = call(&detector, "detect", &[&video]).await
                && let Some(raw) =
                    get(&js_sys::Array::from(&codes).get(0), "rawValue").and_then(|v| v.as_string())
            {
                found = Some(raw);
                break;
            }
            pause(250).await;
        }
    }
    stop(&stream).await;
    Ok(found.filter(|_| still_mine()))
}

/// A button that opens the camera and hands the first code it reads to `found`.
#[component]
pub fn Scanner(found: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let running = RwSignal::new(false);
    let failed = RwSignal::new(false);
    // Each start is numbered: a scan of an earlier start (stopped, then started again while
    // the camera's permission was asked) ends without checking anyone in.
    let current = StoredValue::new(0u32);
    let video = NodeRef::<leptos::html::Video>::new();
    let halt = move || {
        current.update_value(|n| *n += 1);
        running.set(false);
        crate::gate::focus("scan");
    };
    let start = move |_| {
        failed.set(false);
        current.update_value(|n| *n += 1);
        let mine = current.get_value();
        running.set(true);
        spawn_local(async move {
            // The video element exists once the signal has drawn it.
            pause(0).await;
            crate::gate::focus("scan-stop");
            let Some(element) = video.get_untracked() else {
                running.try_set(false);
                return;
            };
            let outcome = scan(element.into(), current, mine).await;
            if current.try_get_value() != Some(mine) {
                return;
            }
            running.try_set(false);
            match outcome {
                Ok(Some(code)) => found.run(code),
                Ok(None) => {}
                Err(_) => {
                    failed.try_set(true);
                    crate::gate::focus("code");
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
                    <button type="button" class="secondary" id="scan-stop" on:click=move |_| halt()>{move || i18n.t("manage.scan.stop")}</button>
                </Show>
                {move || failed.get().then(|| view! { <p class="alert" role="alert">{i18n.t("manage.scan.failed")}</p> })}
            </div>
        }
    })
}
